// Protocol-agnostic byte handling shared by every lab: the composer's input
// modes, the transcript's visible bytes and hex view, streaming UTF-8, the
// uppercase servers' upper(), and the transcript's number formats.
export { type ComposeOptions, composeMessage, type MessageInputMode, messageInputModes } from './composeMessage';
export { controlEscape, controlGlyph, describeControl, isControlCodePoint } from './controlCharacters';
export { formatEscapes, parseEscapes } from './escapes';
export { formatByteCount, groupThousands } from './formatByteCount';
export { formatDuration } from './formatDuration';
export { type FormatHexOptions, formatHex, hexByte, parseHex } from './hex';
export { formatHexDump, type HexDumpOptions, type HexDumpRow, hexDump, hexDumpRowCount } from './hexDump';
export { applyLineEnding, type LineEnding, lineEndingBytes, lineEndings, normaliseLineEndings } from './lineEndings';
export { asciiUpperBytes, pythonUpper, type UpperBytesResult, upperBytes, upperBytesWithReport } from './pythonUpper';
export { createStreamDecoder, type StreamDecoder } from './streamDecoder';
export {
  describePosition,
  positionAt,
  type TextParseError,
  type TextParseResult,
  type TextPosition,
} from './textParseResult';
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
