import { HighlightStyle, StreamLanguage, type StringStream, syntaxHighlighting } from '@codemirror/language';
import { Tag } from '@lezer/highlight';

/**
 * Colouring for raw HTTP/1.x requests as typed: request line (method, target,
 * version), header names and values, and the body. A stream parser, so a
 * 100 KB body is coloured only as far as it is on screen. It only colours; what
 * is wrong is the linter's job (shared/http/compose/lintRequest.ts), which knows exactly.
 */
export const httpTags = {
  method: Tag.define(),
  target: Tag.define(),
  version: Tag.define(),
  headerName: Tag.define(),
  colon: Tag.define(),
  headerValue: Tag.define(),
  body: Tag.define(),
  extra: Tag.define(),
};

type LineKind = 'before' | 'request' | 'header' | 'fold' | 'blank' | 'body';

interface RawRequestState {
  kind: LineKind;
  /** Inside a head: after the request line, before its empty line. */
  inHead: boolean;
  /** Which word of the request line comes next, or whether the header's colon was passed. */
  part: number;
}

/** A line that starts another request (pipelining): "METHOD target HTTP/x.y". */
const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]+\S+[ \t]+HTTP\/\d/;

function startLine(line: string, state: RawRequestState): void {
  const blank = line === '' || line === '\r';
  state.part = 0;
  if (state.inHead) {
    if (blank) {
      state.kind = 'blank';
      state.inHead = false;
    } else state.kind = /^[ \t]/.test(line) ? 'fold' : 'header';
    return;
  }
  if (state.kind === 'before' || state.kind === 'request') {
    state.kind = blank ? 'before' : 'request';
    state.inHead = !blank;
    return;
  }
  if (REQUEST_LINE.test(line)) {
    state.kind = 'request';
    state.inHead = true;
  } else state.kind = blank && state.kind === 'blank' ? 'blank' : 'body';
}

function token(stream: StringStream, state: RawRequestState): string | null {
  if (stream.sol()) startLine(stream.string, state);
  // The CR of a CRLF is drawn by the special-character marker; it is not part of any token.
  if (stream.eat('\r')) return null;
  switch (state.kind) {
    case 'request': {
      if (stream.eatSpace()) return null;
      stream.match(/^[^ \t\r]+/);
      const part = state.part++;
      return part === 0 ? 'method' : part === 1 ? 'target' : part === 2 ? 'version' : 'extra';
    }
    case 'header':
      if (state.part === 0) {
        state.part = 1;
        if (stream.match(/^[^:\r]+(?=:)/)) return 'headerName';
        stream.match(/^[^\r]+/);
        return 'extra';
      }
      if (state.part === 1 && stream.eat(':')) {
        state.part = 2;
        return 'colon';
      }
      stream.match(/^[^\r]+/);
      return 'headerValue';
    case 'fold':
      stream.match(/^[^\r]+/);
      return 'headerValue';
    case 'body':
      stream.match(/^[^\r]+/);
      return 'body';
    default:
      stream.match(/^[^\r]+/);
      return null;
  }
}

export const rawRequestLanguage = StreamLanguage.define<RawRequestState>({
  name: 'http-request',
  startState: () => ({ kind: 'before', inHead: false, part: 0 }),
  copyState: (state) => ({ ...state }),
  token,
  blankLine: (state) => startLine('', state),
  tokenTable: httpTags,
});

/** Colours with at least 4.5:1 contrast on white, as everywhere in the app. */
export const rawRequestHighlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: httpTags.method, color: '#7a1f6e', fontWeight: '700' },
    { tag: httpTags.target, color: '#0a58a8' },
    { tag: httpTags.version, color: '#1d6b3a' },
    { tag: httpTags.headerName, color: '#8a4500', fontWeight: '600' },
    { tag: httpTags.colon, color: '#4a5462' },
    { tag: httpTags.headerValue, color: '#1a1f26' },
    { tag: httpTags.body, color: '#33415c' },
    { tag: httpTags.extra, color: '#b3261e' },
  ]),
);
