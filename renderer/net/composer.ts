import { composeMessage, type LineEnding, type MessageInputMode, type TextParseResult } from '../../shared/bytes';

/** What the Message field holds and how it is read; kept as typed, never cleared by an error. */
export interface ComposerState {
  readonly text: string;
  readonly mode: MessageInputMode;
  readonly lineEnding: LineEnding;
}

/**
 * Escapes by default: students type `\r\n` meaning CR LF, and the preview shows the
 * bytes before anything is sent. No line ending by default, like the textbook client
 * (input() drops the newline).
 */
export const defaultComposer: ComposerState = { text: '', mode: 'escapes', lineEnding: 'none' };

export function compose(state: ComposerState): TextParseResult<Uint8Array> {
  return composeMessage(state.text, { mode: state.mode, lineEnding: state.lineEnding });
}

export const inputModeLabels: Record<MessageInputMode, string> = {
  text: 'Text as typed',
  escapes: 'Text with escapes (\\r \\n \\t \\xNN \\\\)',
  hex: 'Hex bytes (48 65 6c 6c 6f)',
};

export const lineEndingLabels: Record<LineEnding, string> = {
  none: 'None',
  lf: 'LF (\\n)',
  crlf: 'CR LF (\\r\\n)',
};
