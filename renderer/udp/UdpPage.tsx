import { formatByteCount } from '../../shared/bytes';
import { textbookRecvBufferBytes, udpServerModes } from '../../shared/udp/server/contract';
import { CheckboxField } from '../net/fields';
import { ServerPanel } from '../net/ServerPanel';
import { SessionTabs } from '../net/SessionTabs';
import { useLab } from '../net/useLab';
import { useStore } from '../net/useStore';
import '../net/net.css';
import { UdpClientView } from './client/View';
import type { UdpClientModel } from './client/model';
import { UdpLab } from './udpLab';
import { recvBufferFlag, type UdpServerModel, udpModeLabels } from './server/model';

/** The UDP lab: client sessions on the left, the built-in server on the right. */
export function UdpPage() {
  const lab = useLab('udp', (client) => new UdpLab(client));
  return (
    <article className="page lab-page">
      <h1 tabIndex={-1}>UDP client and server</h1>
      <p className="lead">
        Start the uppercase server, send a line as one datagram, and see the reply come back: who sent each datagram,
        from which port, its bytes, and how long the round trip took. No connection, no guarantee.
      </p>
      <div className="lab-grid">
        <SessionTabs tabs={lab.clients} kind="UDP" renderLabel={(tab) => <TabLabel model={tab} />}>
          {(tab) => <UdpClientView key={tab.tabId} model={tab} onClose={() => lab.clients.remove(tab.tabId)} />}
        </SessionTabs>
        <ServerPanel
          protocol="UDP"
          model={lab.server}
          modes={udpServerModes}
          modeLabels={udpModeLabels}
          options={<RecvBufferOption model={lab.server} />}
          explanation={
            <>
              Like the textbook&apos;s UDPServer: one socket bound to the port; every datagram is read with the
              sender&apos;s address and answered to that address.
            </>
          }
          counters={(counters) => [
            ['Datagrams received', String(counters.datagramsReceived)],
            ['Replied', String(counters.datagramsReplied)],
            ['Cut by recvfrom', String(counters.datagramsCut)],
            ['Dropped (emulated link)', String(counters.datagramsDropped)],
            ['Bytes received', formatByteCount(counters.bytesReceived)],
            ['Bytes replied', formatByteCount(counters.bytesReplied)],
          ]}
        />
      </div>
    </article>
  );
}

function RecvBufferOption({ model }: { model: UdpServerModel }) {
  const state = useStore(model);
  return (
    <CheckboxField
      label={
        <>
          Read like <code>recvfrom({textbookRecvBufferBytes})</code>: longer datagrams are cut, the rest is lost
        </>
      }
      checked={state.flags[recvBufferFlag] === true}
      onChange={(value) => model.setFlag(recvBufferFlag, value)}
      disabled={state.phase !== 'stopped'}
    />
  );
}

function TabLabel({ model }: { model: UdpClientModel }) {
  const state = useStore(model);
  const status = state.socket?.open ? (state.socket.peer ? 'connected' : 'open') : 'idle';
  return (
    <>
      <span className={`tab-dot is-${status}`} aria-hidden="true" />
      {model.label}
      <span className="visually-hidden"> ({status === 'open' ? 'socket open' : status})</span>
    </>
  );
}
