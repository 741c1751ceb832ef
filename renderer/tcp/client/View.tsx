import { useMemo } from 'react';
import { formatByteCount, formatDuration } from '../../../shared/bytes';
import { ClientMessage, ClientPanel, ConnectButton, usePanelFocus } from '../../net/ClientPanel';
import { Countdown } from '../../net/Countdown';
import { ErrorText } from '../../net/fields';
import { formatSocketAddress } from '../../net/format';
import type { Traffic } from '../../net/traffic';
import { HostPortFields, SecondsField } from '../../net/TargetFields';
import { useFrameStore, useStore } from '../../net/useStore';
import { SequenceSection } from '../../sequence/SequenceDiagram';
import { TranscriptView } from '../../transcript/TranscriptView';
import { ConversationActions } from '../../conversation/ConversationActions';
import { socketSource } from '../../conversation/socketSource';
import type { TcpClientModel, TcpConnection } from './model';

/**
 * The textbook TCPClient, by hand: Connect (the handshake is timed and can be
 * cancelled), Send as often as you like, Close write side (half-close), Disconnect.
 */
export function TcpClientView({ model, onClose }: { model: TcpClientModel; onClose: () => void }) {
  const state = useStore(model);
  const source = useMemo(() => socketSource('tcp', model), [model]);
  const { panel, focus } = usePanelFocus();
  const { phase, connection, errors } = state;
  const open = connection?.open === true;

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
    <ClientPanel title="TCP client" label={model.label} onClose={onClose} askFirst={open} panel={panel}>
      <HostPortFields model={model} state={state} onEnter={() => void connect()} disabled={phase !== 'idle'}>
        <SecondsField
          label="Connect deadline (s)"
          value={state.connectDeadline}
          onChange={(value) => model.setConnectDeadline(value)}
          onEnter={() => void connect()}
          disabled={phase !== 'idle'}
          error={errors.connectDeadline}
        />
        <SecondsField
          label="Idle deadline (s)"
          value={state.idleDeadline}
          onChange={(value) => model.setIdleDeadline(value)}
          onEnter={() => void connect()}
          disabled={phase !== 'idle'}
          error={errors.idleDeadline}
          hint="empty: none"
        />
      </HostPortFields>
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
          <ConnectButton state={state} onConnect={() => void connect()} onCancel={() => model.cancelConnect()} />
        )}
      </div>
      {open && state.idleWait && (
        <Countdown
          label="Idle deadline: the connection closes if nothing is sent or received"
          wait={state.idleWait}
          onCancel={() => void model.cancelIdle()}
        />
      )}
      <ErrorText error={errors.cancelIdle} />
      <ErrorText error={errors.connect} />
      <ErrorText error={errors.disconnect} />
      <ErrorText error={errors.shutdown} />
      {connection && <ConnectionFacts connection={connection} traffic={model.traffic} />}
      <ClientMessage model={model} state={state} sent="send" replyHint="empty: do not wait" sendBlocked={sendBlocked} />
      <ConversationActions source={source} />
      <TranscriptView
        model={model.transcript.view}
        emptyText="Connect, then send: every byte each way appears here, with CR, LF and TAB made visible."
      />
      <SequenceSection model={model.transcript.view} />
    </ClientPanel>
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
      case 'idle':
        return 'closed by this client: nothing moved within the idle deadline';
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
