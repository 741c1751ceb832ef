import { type ReactNode, useId, useMemo, useRef } from 'react';
import {
  formatByteCount,
  type LineEnding,
  lineEndings,
  type MessageInputMode,
  messageInputModes,
  toVisibleSegments,
} from '../../shared/bytes';
import { Segments } from '../transcript/ByteView';
import { type ComposerState, compose, inputModeLabels, lineEndingLabels } from './composer';
import type { ControlError } from './errors';
import { ErrorText, SelectField } from './fields';
import type { SendOutcome } from './session';

const previewLimit = 160;

interface MessageComposerProps {
  value: ComposerState;
  onChange: (change: Partial<ComposerState>) => void;
  onSend: () => Promise<SendOutcome>;
  /** An error from sending (beside Send); parse errors are found here as the user types. */
  sendError?: ControlError | undefined;
  /** A problem the model found with the message itself (e.g. too large for one datagram). */
  messageError?: ControlError | undefined;
  /** Why Send cannot be used now ("Connect first"); Send is then disabled. */
  sendBlocked?: string | undefined;
  busy?: boolean;
  /** More buttons after Send. */
  children?: ReactNode;
  /** More fields beside "Type as" and "Line ending" (e.g. the reply deadline). */
  options?: ReactNode;
}

/**
 * The Message field and how it becomes bytes: text, text with escapes or hex, plus a
 * line ending. A live preview shows exactly the bytes Send will send; a parse error
 * names its position and Send then selects the offending text. Enter sends,
 * Shift+Enter starts a new line. What was typed is never cleared.
 */
export function MessageComposer(props: MessageComposerProps) {
  const { value, onChange } = props;
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const composed = useMemo(() => compose(value), [value]);
  const parseError = composed.ok ? undefined : composed.error;

  const send = async () => {
    if (props.sendBlocked || props.busy) return;
    const outcome = await props.onSend();
    if (outcome === 'invalid' && parseError && area.current) {
      area.current.focus();
      area.current.setSelectionRange(parseError.index, parseError.index + Math.max(1, parseError.length));
    }
  };

  const describedBy = [`${id}-preview`, props.messageError ? `${id}-error` : undefined].filter(Boolean).join(' ');
  return (
    <div className="composer">
      <div className="field composer-message">
        <label htmlFor={id}>Message</label>
        <textarea
          id={id}
          ref={area}
          rows={2}
          value={value.text}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={parseError || props.messageError ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange({ text: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              void send();
            }
          }}
        />
      </div>
      <div className="composer-options">
        <SelectField<MessageInputMode>
          label="Type as"
          value={value.mode}
          options={messageInputModes}
          labels={inputModeLabels}
          onChange={(mode) => onChange({ mode })}
        />
        <SelectField<LineEnding>
          label="Line ending"
          value={value.lineEnding}
          options={lineEndings}
          labels={lineEndingLabels}
          onChange={(lineEnding) => onChange({ lineEnding })}
        />
        {props.options}
      </div>
      {!composed.ok ? (
        <p id={`${id}-preview`} className="control-error" role="alert" data-code="E_PARSE">
          {composed.error.message}
        </p>
      ) : (
        <p id={`${id}-preview`} className="composer-preview">
          <span className="composer-preview-label">Send will send {formatByteCount(composed.bytes.length)}</span>
          {composed.bytes.length > 0 && (
            <span className="composer-preview-bytes">
              <Segments segments={toVisibleSegments(composed.bytes.subarray(0, previewLimit))} />
              {composed.bytes.length > previewLimit && '…'}
            </span>
          )}
        </p>
      )}
      <ErrorText id={`${id}-error`} error={parseError ? undefined : props.messageError} />
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => void send()}
          disabled={props.sendBlocked !== undefined || props.busy}
        >
          Send
        </button>
        {props.children}
        <span className="action-hint">
          {props.sendBlocked ?? 'Enter in the message sends; Shift+Enter starts a new line'}
        </span>
      </div>
      <ErrorText error={props.sendError} />
    </div>
  );
}
