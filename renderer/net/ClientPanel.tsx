import { type ReactNode, type RefObject, useId, useRef } from 'react';
import { Countdown } from './Countdown';
import { formatAddress } from './format';
import type { Wait } from './session';

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
  panel,
  children,
}: {
  /** "TCP client": the heading, which also names the region. */
  title: string;
  /** The session's name ("Client 1"). */
  label: string;
  onClose: () => void;
  panel: RefObject<HTMLElement | null>;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className="panel client-panel" aria-labelledby={headingId} ref={panel}>
      <div className="panel-head">
        <h2 id={headingId}>{title}</h2>
        <span className="panel-session">{label}</span>
        <button type="button" className="link-button" onClick={onClose}>
          Close {label}
        </button>
      </div>
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

/** A countdown for each send still waiting for its reply ("a reply to send #2"), each with its Cancel. */
export function ReplyCountdowns({
  waits,
  sent,
  onCancel,
}: {
  waits: readonly Wait[];
  /** What was sent: "send", "datagram". */
  sent: string;
  onCancel: (seq: number | undefined) => void;
}) {
  return waits.map((wait) => (
    <Countdown
      key={wait.seq}
      label={`Waiting for a reply to ${sent} #${wait.seq}`}
      wait={wait}
      onCancel={() => onCancel(wait.seq)}
    />
  ));
}
