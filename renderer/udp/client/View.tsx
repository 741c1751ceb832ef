import { useMemo } from 'react';
import { textbookRecvBufferBytes } from '../../../shared/udp/server/contract';
import { ClientMessage, ClientPanel, usePanelFocus } from '../../net/ClientPanel';
import { CheckboxField, ErrorText } from '../../net/fields';
import { formatSocketAddress } from '../../net/format';
import type { Traffic } from '../../net/traffic';
import { HostPortFields } from '../../net/TargetFields';
import { useFrameStore, useStore } from '../../net/useStore';
import { SequenceSection } from '../../sequence/SequenceDiagram';
import { TranscriptView } from '../../transcript/TranscriptView';
import { ConversationActions } from '../../conversation/ConversationActions';
import { socketSource } from '../../conversation/socketSource';
import type { UdpClientModel, UdpSocketInfo } from './model';
import { PingControls } from './PingView';

/**
 * The textbook UDPClient, by hand: each Send is one datagram to Host:Port from this
 * tab's socket, and a reply is awaited with a deadline you can see and cancel,
 * because UDP never reports that nobody is listening. Connect makes it a connected
 * UDP socket instead.
 */
export function UdpClientView({ model, onClose }: { model: UdpClientModel; onClose: () => void }) {
  const state = useStore(model);
  const source = useMemo(() => socketSource('udp', model), [model]);
  const { panel, focus } = usePanelFocus();
  const { socket, errors, busy } = state;
  const open = socket?.open === true;
  const connected = open && socket.peer !== undefined;

  return (
    <ClientPanel title="UDP client" label={model.label} onClose={onClose} askFirst={open} panel={panel}>
      <HostPortFields model={model} state={state} disabled={connected} />
      <CheckboxField
        label={
          <>
            Read replies like <code>recvfrom({textbookRecvBufferBytes})</code> (longer datagrams are cut)
          </>
        }
        checked={state.recvBuffer}
        onChange={(value) => model.setRecvBuffer(value)}
        disabled={open}
      />
      <div className="actions">
        {connected ? (
          <button
            type="button"
            data-action="disconnect"
            disabled={busy !== undefined}
            onClick={async () => {
              await model.disconnect();
              focus('[data-action="connect"]');
            }}
          >
            Disconnect
          </button>
        ) : (
          <>
            <button
              type="button"
              data-action="connect"
              disabled={busy !== undefined}
              onClick={async () => {
                const done = await model.connect();
                focus(done ? 'textarea' : '[data-action="connect"]');
              }}
            >
              Connect
            </button>
            {open && (
              <button type="button" disabled={busy !== undefined} onClick={() => void model.disconnect()}>
                Close socket
              </button>
            )}
          </>
        )}
        <span className="action-hint">{socketHint(socket, busy)}</span>
      </div>
      <p className="field-hint udp-connect-note">
        <code>connect()</code> on a UDP socket only fixes its peer: no handshake, nothing is sent. The socket then talks
        only to that Host and Port, and can hear &ldquo;port unreachable&rdquo; when nobody listens there.
      </p>
      <ErrorText error={errors.connect} />
      <ErrorText error={errors.disconnect} />
      {socket && <SocketFacts socket={socket} traffic={model.traffic} />}
      <ClientMessage model={model} state={state} sent="datagram" busy={busy !== undefined} />
      <PingControls model={model.ping} blocked={busy !== undefined} />
      <ConversationActions source={source} />
      <TranscriptView
        model={model.transcript.view}
        emptyText="Send a datagram: it and every reply appear here, with who sent it and CR, LF and TAB made visible."
      />
      <SequenceSection model={model.transcript.view} />
    </ClientPanel>
  );
}

function socketHint(socket: UdpSocketInfo | undefined, busy: string | undefined): string {
  if (busy === 'opening') return 'Opening a socket…';
  if (busy === 'connecting') return 'Connecting the socket…';
  if (busy === 'closing') return 'Closing the socket…';
  if (!socket?.open) return 'No socket yet: Send opens one, and the operating system picks its port.';
  if (socket.peer) return 'Connected UDP: this socket talks only to its peer.';
  return 'Unconnected: each Send goes to the Host and Port above.';
}

function SocketFacts({ socket, traffic }: { socket: UdpSocketInfo; traffic: Traffic }) {
  const totals = useFrameStore(traffic);
  return (
    <dl className="facts">
      <div>
        <dt>This socket</dt>
        <dd className="mono">{formatSocketAddress(socket.local)}</dd>
      </div>
      {socket.peer && (
        <div>
          <dt>Connected to</dt>
          <dd className="mono">{formatSocketAddress(socket.peer)}</dd>
        </div>
      )}
      <div>
        <dt>Datagrams sent / received</dt>
        <dd className="mono">
          {totals.sent} / {totals.received}
        </dd>
      </div>
      <div>
        <dt>State</dt>
        <dd>{socket.open ? 'open' : 'closed'}</dd>
      </div>
    </dl>
  );
}
