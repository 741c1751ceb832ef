import { type ReactNode, type RefObject, useEffect, useId, useRef, useState } from 'react';
import type { ComposerState } from './composer';
import { Countdown } from './Countdown';
import type { ControlError } from './errors';
import { formatAddress } from './format';
import { MessageComposer } from './MessageComposer';
import type { SendOutcome, Wait } from './session';
import { SecondsField } from './TargetFields';

/**
 * The panel's element, and a way to move focus inside it once React has drawn the
 * outcome of an action (to the Message after Connect, back to Connect after a failure).
 */
export function usePanelFocus(): { panel: RefObject<HTMLElement | null>; focus: (selector: string) => void } {
  const panel = useRef<HTMLElement>(null);
  const focus = (selector: string) =>
    requestAnimationFrame(() => panel.current?.querySelector<HTMLElement>(selector)?.focus());
  return { panel, focus };
}

/** One client session's panel (a tab's content): its heading, the session's name and its Close, then the rest. */
export function ClientPanel({
  title,
  label,
  onClose,
  askFirst = false,
  panel,
  children,
}: {
  /** "TCP client": the heading, which also names the region. */
  title: string;
  /** The session's name ("Client 1"). */
  label: string;
  onClose: () => void;
  /** The client has an open socket: "Close Client N" asks before ending it. */
  askFirst?: boolean;
  panel: RefObject<HTMLElement | null>;
  children: ReactNode;
}) {
  const headingId = useId();
  const questionId = useId();
  const [asking, setAsking] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  // The Close button gives way to the question: the keyboard's focus goes to its safe answer.
  useEffect(() => {
    if (asking) keep.current?.focus();
  }, [asking]);
  return (
    <section className="panel client-panel" aria-labelledby={headingId} ref={panel}>
      <div className="panel-head">
        <h2 id={headingId}>{title}</h2>
        <span className="panel-session">{label}</span>
        {!asking && (
          <button type="button" className="link-button" onClick={askFirst ? () => setAsking(true) : onClose}>
            Close {label}
          </button>
        )}
      </div>
      {asking && (
        <div className="close-confirm" role="alertdialog" aria-labelledby={questionId}>
          <p id={questionId}>Close the connected {label}? Its socket is closed and its transcript is thrown away.</p>
          <button type="button" onClick={onClose}>
            Close it
          </button>{' '}
          <button type="button" className="primary" onClick={() => setAsking(false)} ref={keep}>
            Keep it
          </button>
        </div>
      )}
      {children}
    </section>
  );
}

/** Connect while there is no connection; while connecting, the countdown to the connect deadline and its Cancel. */
export function ConnectButton({
  state,
  onConnect,
  onCancel,
}: {
  state: {
    readonly phase: string;
    readonly host: string;
    readonly port: string;
    readonly connectWait: Wait | undefined;
  };
  onConnect: () => void;
  onCancel: () => void;
}) {
  return (
    <>
      <button
        type="button"
        className="primary"
        data-action="connect"
        onClick={onConnect}
        disabled={state.phase === 'connecting'}
      >
        Connect
      </button>
      {state.phase === 'connecting' && state.connectWait && (
        <Countdown
          label={`Connecting to ${formatAddress(state.host.trim(), Number(state.port))}…`}
          wait={state.connectWait}
          onCancel={onCancel}
        />
      )}
    </>
  );
}

/** What a socket client's Message needs of its model (TCP and UDP). */
interface MessageModel {
  setComposer(change: Partial<ComposerState>): void;
  send(): Promise<SendOutcome>;
  setReplyDeadline(seconds: string): void;
  cancelReplyWait(seq?: number): Promise<void>;
}

interface MessageState {
  readonly composer: ComposerState;
  readonly replyDeadline: string;
  readonly replyWaits: readonly Wait[];
  readonly errors: {
    readonly send?: ControlError | undefined;
    readonly message?: ControlError | undefined;
    readonly replyDeadline?: ControlError | undefined;
  };
}

/**
 * The Message with Send and the Reply deadline beside how it is typed, then a countdown
 * for each send still waiting for its reply ("Waiting for a reply to datagram #2"), each
 * with its Cancel.
 */
export function ClientMessage({
  model,
  state,
  sent,
  replyHint,
  sendBlocked,
  busy,
}: {
  model: MessageModel;
  state: MessageState;
  /** What one send is called: "send", "datagram". */
  sent: string;
  /** Under the Reply deadline, e.g. what empty means. */
  replyHint?: string;
  /** Why Send cannot be used now; Send is then disabled. */
  sendBlocked?: string | undefined;
  busy?: boolean;
}) {
  return (
    <>
      <MessageComposer
        value={state.composer}
        onChange={(change) => model.setComposer(change)}
        onSend={() => model.send()}
        sendError={state.errors.send}
        messageError={state.errors.message}
        sendBlocked={sendBlocked}
        busy={busy}
        options={
          <SecondsField
            label="Reply deadline (s)"
            value={state.replyDeadline}
            onChange={(value) => model.setReplyDeadline(value)}
            error={state.errors.replyDeadline}
            hint={replyHint}
          />
        }
      />
      {state.replyWaits.map((wait) => (
        <Countdown
          key={wait.seq}
          label={`Waiting for a reply to ${sent} #${wait.seq}`}
          wait={wait}
          onCancel={() => void model.cancelReplyWait(wait.seq)}
        />
      ))}
    </>
  );
}
