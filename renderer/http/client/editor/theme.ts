import { EditorView } from '@codemirror/view';

/**
 * The editor's look. It lives in a shadow root, out of reach of the app's style
 * sheets, so its styles are here (CSS custom properties such as --mono still
 * inherit into it). Markers copy the transcript's CR/LF glyphs.
 */
export const rawRequestTheme = EditorView.theme({
  '&': {
    fontSize: '0.95rem',
    color: 'var(--text, #1a1f26)',
    backgroundColor: 'var(--surface, #fff)',
    border: '1px solid var(--border, #cfd6df)',
    borderRadius: '6px',
  },
  '&.cm-focused': {
    outline: '3px solid var(--focus, #0a58a8)',
    outlineOffset: '1px',
  },
  '.cm-scroller': {
    fontFamily: "var(--mono, ui-monospace, 'DejaVu Sans Mono', monospace)",
    lineHeight: '1.55',
    minHeight: '11rem',
    maxHeight: '26rem',
    overflow: 'auto',
  },
  '.cm-content': {
    padding: '0.4rem 0',
    caretColor: 'var(--text, #1a1f26)',
  },
  '.cm-line': {
    padding: '0 0.6rem',
  },
  '.cm-cursor': {
    borderLeftColor: 'var(--text, #1a1f26)',
    borderLeftWidth: '2px',
  },
  '.cm-byte-marker': {
    display: 'inline-block',
    textDecoration: 'none',
    fontFamily: 'var(--font, system-ui, sans-serif)',
    fontSize: '0.66em',
    fontWeight: '600',
    lineHeight: '1.35',
    letterSpacing: '0.02em',
    padding: '0 0.25em',
    margin: '0 1px',
    borderRadius: '3px',
    verticalAlign: '0.15em',
    cursor: 'default',
    userSelect: 'none',
  },
  '.cm-byte-eol': {
    color: '#2f3a8f',
    backgroundColor: '#dfe4ff',
  },
  '.cm-byte-control': {
    color: '#6b4300',
    backgroundColor: '#ffe8b8',
  },
  '.cm-lint-range': {
    textDecorationLine: 'underline',
    textDecorationStyle: 'wavy',
    textDecorationThickness: '1.5px',
    textUnderlineOffset: '3px',
    textDecorationSkipInk: 'none',
  },
  '.cm-lint-error': { textDecorationColor: '#b3261e' },
  '.cm-lint-warning': { textDecorationColor: '#9a5b00' },
  '.cm-lint-info': { textDecorationColor: '#0a58a8' },
  '.cm-lint-error .cm-byte-marker, .cm-byte-flagged-error': { outline: '2px solid #b3261e' },
  '.cm-lint-warning .cm-byte-marker, .cm-byte-flagged-warning': { outline: '2px solid #9a5b00' },
  '.cm-byte-flagged-info': { outline: '2px solid #0a58a8' },
  '.cm-lint-point': {
    display: 'inline-block',
    width: '0',
    height: '1.1em',
    verticalAlign: '-0.2em',
    borderLeft: '2px solid',
    margin: '0 -1px',
    position: 'relative',
  },
  '.cm-lint-point::after': {
    content: '""',
    position: 'absolute',
    left: '-6px',
    bottom: '-5px',
    borderLeft: '5px solid transparent',
    borderRight: '5px solid transparent',
    borderBottom: '6px solid',
  },
  '.cm-lint-point-error': { color: '#b3261e' },
  '.cm-lint-point-warning': { color: '#9a5b00' },
  '.cm-lint-point-info': { color: '#0a58a8' },
  '.cm-helper-edit': {
    backgroundColor: '#fff1a8',
    transition: 'background-color 0.6s',
  },
  '.cm-selectionBackground, ::selection': {
    backgroundColor: '#cfe0f7',
  },
});
