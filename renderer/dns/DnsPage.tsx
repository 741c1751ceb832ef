import { useLab } from '../net/useLab';
import '../net/net.css';
import { NameLookupView, ServiceLookupView } from './client/Lookups';
import { DnsReplyView } from './client/Reply';
import { DnsClientView } from './client/View';
import { DnsLab } from './dnsLab';
import { DnsServerView } from './server/View';
import './dns.css';

/** DNS by hand: build and send a query, read the reply byte by byte, run the servers and the hierarchy. */
export function DnsPage() {
  const lab = useLab('dns', (client) => new DnsLab(client));
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
          <DnsClientView model={lab.query} />
          <DnsReplyView model={lab.query} />
        </div>
        <div className="dns-column">
          <DnsServerView model={lab.server} onAsk={(host, port) => lab.query.target(host, port)} />
          <NameLookupView model={lab.nameLookup} />
          <ServiceLookupView model={lab.serviceLookup} />
        </div>
      </div>
    </article>
  );
}
