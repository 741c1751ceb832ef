import { formatByteCount } from '../../shared/bytes';
import { tcpServerModes } from '../../shared/tcp/server/contract';
import { ServerPanel } from '../net/ServerPanel';
import { SessionTabs } from '../net/SessionTabs';
import { useLab } from '../net/useLab';
import { useStore } from '../net/useStore';
import '../net/net.css';
import { TcpClientView } from './client/View';
import type { TcpClientModel } from './client/model';
import { TcpLab } from './tcpLab';
import { tcpModeLabels } from './server/model';

/** The TCP lab: client sessions on the left, the built-in server on the right, both ends of one conversation. */
export function TcpPage() {
  const lab = useLab('tcp', (client) => new TcpLab(client));
  return (
    <article className="page lab-page">
      <h1 tabIndex={-1}>TCP client and server</h1>
      <p className="lead">
        Start the uppercase server, connect a client, send a line: see the handshake time, each chunk as it arrives with
        CR and LF made visible, and the server accepting a new connection socket for every client.
      </p>
      <div className="lab-grid">
        <SessionTabs tabs={lab.clients} kind="TCP" renderLabel={(tab) => <TabLabel model={tab} />}>
          {(tab) => <TcpClientView key={tab.tabId} model={tab} onClose={() => lab.clients.remove(tab.tabId)} />}
        </SessionTabs>
        <ServerPanel
          protocol="TCP"
          model={lab.server}
          modes={tcpServerModes}
          modeLabels={tcpModeLabels}
          explanation={
            <>
              Like the textbook&apos;s TCPServer: a welcoming socket on the port, and for each client that connects,{' '}
              <code>accept()</code> returns a new connection socket with that client&apos;s address and port.
            </>
          }
          counters={(counters) => [
            ['Connections accepted', String(counters.connectionsAccepted)],
            ['Open now', String(counters.connectionsOpen)],
            ['Received', formatByteCount(counters.bytesReceived)],
            ['Replied', formatByteCount(counters.bytesReplied)],
            ['Not read', formatByteCount(counters.bytesDiscarded)],
          ]}
        />
      </div>
    </article>
  );
}

function TabLabel({ model }: { model: TcpClientModel }) {
  const state = useStore(model);
  const status = state.phase === 'connecting' ? 'connecting' : state.connection?.open ? 'connected' : 'idle';
  return (
    <>
      <span className={`tab-dot is-${status}`} aria-hidden="true" />
      {model.label}
      <span className="visually-hidden"> ({status})</span>
    </>
  );
}
