import { useEffect, useState } from 'react';
import { useClient } from '../app/hooks';
import '../net/net.css';
import { NameLookupView, ServiceLookupView } from './client/Lookups';
import { DnsClientView } from './client/View';
import { DnsServerView } from './server/View';
import './dns.css';

/** DNS by hand: build and send a query, read the reply byte by byte, run the servers and the hierarchy. */
export function DnsPage() {
  const client = useClient();
  const [defaultServer, setDefaultServer] = useState('127.0.0.1');
  const [target, setTarget] = useState<{ host: string; port: number }>();
  useEffect(() => {
    client
      .call('dns.servers', {})
      .then(
        ({ servers }) =>
          servers[0] && setDefaultServer(servers[0].replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/:53$/, '')),
      )
      .catch(() => undefined);
  }, [client]);
  return (
    <article className="page lab-page">
      <h1 tabIndex={-1}>DNS by hand</h1>
      <p className="lead">
        Build a DNS query bit by bit, send it over UDP or TCP, and read the reply field by field with each byte&apos;s
        offset and every compression pointer. Run an authoritative server for your own zone, or the whole hierarchy —
        root, TLD, authoritative — and follow its referrals one hop at a time.
      </p>
      <div className="lab-grid">
        <div className="dns-column">
          <DnsClientView defaultServer={defaultServer} target={target} />
        </div>
        <div className="dns-column">
          <DnsServerView onTarget={(host, port) => setTarget({ host, port })} />
          <NameLookupView />
          <ServiceLookupView />
        </div>
      </div>
    </article>
  );
}
