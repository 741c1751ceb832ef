import { useId, useRef } from 'react';
import { formatByteCount, formatDuration } from '../../shared/bytes';
import { Countdown } from '../net/Countdown';
import { ErrorText, TextField } from '../net/fields';
import { formatAddress, formatSocketAddress } from '../net/format';
import { MessageComposer } from '../net/MessageComposer';
import type { Traffic } from '../net/traffic';
import { useFrameStore, useStore } from '../net/useStore';
import { TranscriptView } from '../transcript/TranscriptView';
import type { TcpClientModel, TcpConnection } from './tcpClientModel';

/**
 * The textbook TCPClient, by hand: Connect (the handshake is timed and can be
 * cancelled), Send as often as you like, Close write side (half-close), Disconnect.
 */
export function TcpClientView({ model, onClose }: { model: TcpClientModel; onClose: () => void }) {
  const state = useStore(model);
  const headingId = useId();
  const panel = useRef<HTMLElement>(null);
  const { phase, connection, errors } = state;
  const open = connection?.open === true;
  const focus = (selector: string) =>
    requestAnimationFrame(() => panel.current?.querySelector<HTMLElement>(selector)?.focus());

  const connect = async () => {
    const connected = await model.connect();
    focus(connected ? 'textarea' : '[data-action="connect"]');
  };
  const disconnect = async () => {
    await model.disconnect();
    focus('[data-action="connect"]');
  };

  let sendBlocked: string | undefined;
  if (!open) sendBlocked = 'Connect first: TCP sends over a connection.';
  else if (connection.writeShut) sendBlocked = 'This side is shut for writing; connect again to send.';

  return (
    <section className="panel client-panel" aria-labelledby={headingId} ref={panel}>
      <div className="panel-head">
        <h2 id={headingId}>TCP client</h2>
        <span className="panel-session">{model.label}</span>
        <button type="button" className="link-button" onClick={onClose}>
          Close {model.label}
        </button>
      </div>
      <div className="field-row">
        <TextField
          label="Host"
          className="field-grow"
          value={state.host}
          onChange={(host) => model.setHost(host)}
          onEnter={() => void connect()}
          disabled={phase !== 'idle'}
          error={errors.host}
        />
        <TextField
          label="Port"
          className="field-port"
          inputMode="numeric"
          value={state.port}
          onChange={(port) => model.setPort(port)}
          onEnter={() => void connect()}
          disabled={phase !== 'idle'}
          error={errors.port}
        />
        <TextField
          label="Connect deadline (s)"
          className="field-seconds"
          inputMode="decimal"
          value={state.connectDeadline}
          onChange={(value) => model.setConnectDeadline(value)}
          onEnter={() => void connect()}
          disabled={phase !== 'idle'}
          error={errors.connectDeadline}
        />
      </div>
      <div className="actions">
        {open ? (
          <>
            <button type="button" data-action="disconnect" onClick={() => void disconnect()}>
              Disconnect
            </button>
            <button
              type="button"
              onClick={() => void model.shutdown()}
              disabled={connection.writeShut}
              title="shutdown(SHUT_WR): send FIN; the server can still reply"
            >
              Close write side
            </button>
          </>
        ) : (
          <button
            type="button"
            className="primary"
            data-action="connect"
            onClick={() => void connect()}
            disabled={phase === 'connecting'}
          >
            Connect
          </button>
        )}
        {phase === 'connecting' && state.connectWait && (
          <Countdown
            label={`Connecting to ${formatAddress(state.host.trim(), Number(state.port))}…`}
            wait={state.connectWait}
            onCancel={() => model.cancelConnect()}
          />
        )}
      </div>
      <ErrorText error={errors.connect} />
      <ErrorText error={errors.disconnect} />
      <ErrorText error={errors.shutdown} />
      {connection && <ConnectionFacts connection={connection} traffic={model.traffic} />}
      <MessageComposer
        value={state.composer}
        onChange={(change) => model.setComposer(change)}
        onSend={() => model.send()}
        sendError={errors.send}
        messageError={errors.message}
        sendBlocked={sendBlocked}
        options={
          <TextField
            label="Reply deadline (s)"
            className="field-seconds"
            inputMode="decimal"
            value={state.replyDeadline}
            onChange={(value) => model.setReplyDeadline(value)}
            error={errors.replyDeadline}
            hint="empty: do not wait"
          />
        }
      />
      {state.replyWaits.map((wait) => (
        <Countdown
          key={wait.seq}
          label={`Waiting for a reply to send #${wait.seq}`}
          wait={wait}
          onCancel={() => void model.cancelReplyWait(wait.seq)}
        />
      ))}
      <TranscriptView
        model={model.transcript.view}
        emptyText="Connect, then send: every byte each way appears here, with CR, LF and TAB made visible."
      />
    </section>
  );
}

function ConnectionFacts({ connection, traffic }: { connection: TcpConnection; traffic: Traffic }) {
  const totals = useFrameStore(traffic);
  return (
    <dl className="facts">
      <div>
        <dt>This socket</dt>
        <dd className="mono">{formatSocketAddress(connection.local)}</dd>
      </div>
      <div>
        <dt>Server</dt>
        <dd className="mono">{formatSocketAddress(connection.peer)}</dd>
      </div>
      <div>
        <dt>Connect time (handshake)</dt>
        <dd className="mono">{formatDuration(connection.connectMs)}</dd>
      </div>
      <div>
        <dt>Sent / received</dt>
        <dd className="mono">
          {formatByteCount(totals.sent)} / {formatByteCount(totals.received)}
        </dd>
      </div>
      <div>
        <dt>State</dt>
        <dd>{connectionState(connection)}</dd>
      </div>
    </dl>
  );
}

function connectionState(connection: TcpConnection): string {
  if (!connection.open) {
    switch (connection.closeReason) {
      case 'local':
        return 'closed by this client';
      case 'peer':
        return 'closed by the server';
      case 'reset':
        return 'reset by the server';
      case 'lost':
        return 'closed (the app lost its link to its Node side)';
      default:
        return 'closed after an error';
    }
  }
  const parts = ['open'];
  if (connection.writeShut) parts.push('this side shut for writing');
  if (connection.peerEnded) parts.push('the server has shut its write side');
  return parts.join('; ');
}
