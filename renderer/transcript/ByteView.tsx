import { Fragment } from 'react';
import { describeControl, hexByte, type VisibleSegment } from '../../shared/bytes';

function glyphClass(codePoint: number): string {
  if (codePoint === 0x0d || codePoint === 0x0a) return 'glyph glyph-eol';
  if (codePoint === 0x09) return 'glyph glyph-tab';
  return 'glyph glyph-control';
}

/**
 * The Unicode control pictures (␍ ␊ ␉) are missing from the fonts many Linux lab machines
 * have, where they show as empty boxes, so C0 controls and DEL are drawn as their ASCII
 * names instead (CR, LF, TAB, NUL, ESC): the words the course uses anyway.
 */
function controlLabel(segment: { text: string; codePoint: number }): string {
  const picture = segment.text.codePointAt(0) ?? 0;
  if (picture < 0x2400 || picture > 0x2426) return segment.text;
  return describeControl(segment.codePoint).split(' ')[1] ?? segment.text;
}

function invalidTitle(bytes: Uint8Array): string {
  const list = Array.from(bytes, (b) => `0x${hexByte(b).toUpperCase()}`).join(' ');
  return `not valid UTF-8: ${bytes.length === 1 ? 'byte' : 'bytes'} ${list}`;
}

/**
 * Bytes as text with every invisible character made visible: CR, LF, TAB and the other
 * control characters by name, `\xNN` for bytes that are not UTF-8, each styled apart from the text and
 * named in its tooltip. A real line break follows each LF glyph, as the receiver sees it.
 */
export function Segments({ segments }: { segments: readonly VisibleSegment[] }) {
  // Keyed by byte offset: unique, and stable while a row only grows.
  let offset = 0;
  return (
    <>
      {segments.map((segment) => {
        const key = offset;
        offset += segment.bytes.length;
        if (segment.kind === 'text') return <Fragment key={key}>{segment.text}</Fragment>;
        if (segment.kind === 'invalid') {
          return (
            <abbr key={key} className="glyph glyph-invalid" title={invalidTitle(segment.bytes)}>
              {segment.text}
            </abbr>
          );
        }
        return (
          <Fragment key={key}>
            <abbr className={glyphClass(segment.codePoint)} title={describeControl(segment.codePoint)}>
              {controlLabel(segment)}
            </abbr>
            {segment.lineBreak ? '\n' : null}
          </Fragment>
        );
      })}
    </>
  );
}
