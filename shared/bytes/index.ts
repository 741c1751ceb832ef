// Protocol-agnostic byte handling shared by every lab: the composer's input
// modes, the transcript's visible bytes and hex view, streaming UTF-8, the
// uppercase servers' upper(), and the transcript's number formats.
export { controlEscape, controlGlyph, describeControl, isControlCodePoint } from './controlCharacters';
export { createStreamDecoder, type StreamDecoder } from './streamDecoder';
export { bytesEqual, concatBytes, countInvalidUtf8, decodeValidUtf8, encodeUtf8, utf8SequenceAt } from './utf8';
export {
  mergeTextSegments,
  segmentsToEscapedText,
  segmentsToOriginalText,
  toVisibleSegments,
  toVisibleString,
  type VisibleSegment,
  type VisibleStringOptions,
} from './visibleSegments';
