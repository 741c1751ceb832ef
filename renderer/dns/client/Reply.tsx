import { useMemo } from 'react';
import { type DnsDissection, dissectDns } from '../../../shared/dns/dissect';
import { className, formatTtl, rcodeMeaning, rcodeName, typeName } from '../../../shared/dns/types';
import { formatSocketAddress } from '../../net/format';
import { useStore } from '../../net/useStore';
import { referralOf } from './draft';
import { FieldTable, HexMap } from './HexMap';
import type { DnsClientModel, ResolverWalk } from './model';

/** The last exchange: each attempt, the reply dissected, flags for a suspicious reply, the resolver's walk. */
export function DnsReplyView({ model }: { model: DnsClientModel }) {
  const state = useStore(model);
  const { result, walk } = state;
  const reply = useMemo(() => (result?.reply ? dissectDns(result.reply.data) : undefined), [result]);
  const referral = reply ? referralOf(reply) : undefined;
  return (
    <section className="panel" aria-label="Reply">
      <h2>Reply</h2>
      {!result && !state.cancelled && (
        <p className="field-hint">Send a query: the reply is dissected here, every field with its byte offset.</p>
      )}
      {state.cancelled && (
        <p role="status" className="field-hint">
          Cancelled: the app stopped waiting for the reply. The query as typed is still there.
        </p>
      )}
      {result?.noReply && (
        <p className="control-error" role="alert">
          {result.noReply}
        </p>
      )}
      {result?.attempts.map((a, i) => (
        <p key={i} className="mono">
          {a.transport.toUpperCase()} to {formatSocketAddress(a.to)}: {a.sentBytes} bytes sent
          {a.rttMs !== undefined ? `, reply after ${a.rttMs.toFixed(2)} ms` : ''}
          {a.truncated ? ' — TC=1: the answer did not fit, so it was asked again over TCP' : ''}
        </p>
      ))}
      {result?.reply?.otherId && (
        <p className="warning" role="alert">
          The reply&apos;s ID is {result.reply.otherId.got}, not {result.reply.otherId.expected}: a resolver would drop
          it (it could be spoofed).
        </p>
      )}
      {result?.reply?.otherAddress && (
        <p className="warning" role="alert">
          The reply came from {formatSocketAddress(result.reply.otherAddress.got)}, not the server asked (
          {formatSocketAddress(result.reply.otherAddress.expected)}): a resolver would drop it.
        </p>
      )}
      {walk && <WalkView walk={walk} />}
      {reply && result?.reply && <ReplySummary d={reply} />}
      {referral && (
        <div className="actions">
          <span>
            Referral: ask <code>{referral.ns}</code> at {referral.address} about <code>{referral.zone}</code>.
          </span>
          <button type="button" onClick={() => void model.send({ server: referral.address })}>
            Follow referral
          </button>
        </div>
      )}
      {state.asked.length > 0 && (
        <ol className="dns-hops" aria-label="Queries sent">
          {state.asked.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ol>
      )}
      {reply && result?.reply && (
        <>
          <HexMap
            label="Reply bytes"
            bytes={result.reply.data}
            fields={reply.fields}
            pointers={reply.pointers}
            selected={state.selectedReply}
            onSelect={(id) => model.selectReplyField(id)}
          />
          <FieldTable
            label="Reply fields"
            fields={reply.fields}
            selected={state.selectedReply}
            onSelect={(id) => model.selectReplyField(id)}
          />
        </>
      )}
    </section>
  );
}

/** How the local resolver got the answer: each server it asked with the RTT, or its cache. */
function WalkView({ walk }: { walk: ResolverWalk }) {
  if (walk.fromCache) {
    return (
      <p className="dns-walk" role="note">
        <strong>Answered from the resolver&apos;s cache</strong>: no server was asked; the TTLs are what is left of
        them.
      </p>
    );
  }
  return (
    <div className="dns-walk">
      <p>
        <strong>The local resolver walked the hierarchy</strong> ({walk.hops.length} hops, each an RD=0 query):
      </p>
      <ol aria-label="Resolver hops">
        {walk.hops.map((h, i) => (
          <li key={i} className="mono">
            {formatSocketAddress(h.server)} · {h.question} · {h.rttMs !== undefined ? `${h.rttMs.toFixed(2)} ms` : '—'}{' '}
            · {h.outcome}
          </li>
        ))}
      </ol>
    </div>
  );
}

function ReplySummary({ d }: { d: DnsDissection }) {
  const h = d.header;
  return (
    <div className="dns-summary">
      {h && (
        <p>
          <strong>{rcodeName(h.rcode)}</strong> — {rcodeMeaning(h.rcode)}. ID {h.id};{' '}
          {[h.aa && 'AA (authoritative)', h.tc && 'TC (truncated)', h.rd && 'RD', h.ra && 'RA (recursion available)']
            .filter(Boolean)
            .join(', ')}
          ; {h.qdcount} question, {h.ancount} answer, {h.nscount} authority, {h.arcount} additional.
        </p>
      )}
      {d.violations.length > 0 && (
        <ul className="control-error" aria-label="Violations">
          {d.violations.map((v, i) => (
            <li key={i}>{v.message}</li>
          ))}
        </ul>
      )}
      {[...d.answers, ...d.authorities, ...d.additionals].map((r) => (
        <p key={`${r.section}-${r.index}`} className="mono">
          {r.section}: {r.name.text} {r.type === 41 ? '' : `${r.ttl} (${formatTtl(r.ttl)}) ${className(r.class)}`}{' '}
          {typeName(r.type)} {rdataText(r.rdata)}
        </p>
      ))}
    </div>
  );
}

function rdataText(r: DnsDissection['answers'][number]['rdata']): string {
  switch (r.kind) {
    case 'A':
    case 'AAAA':
      return r.address;
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return r.name.text;
    case 'MX':
      return `${r.preference} ${r.exchange.text}`;
    case 'TXT':
      return r.strings.map((s) => JSON.stringify(s)).join(' ');
    case 'SOA':
      return `${r.mname.text} ${r.rname.text} ${r.serial} ${r.refresh} ${r.retry} ${r.expire} ${r.minimum}`;
    case 'SRV':
      return `${r.priority} ${r.weight} ${r.port} ${r.target.text}`;
    case 'OPT':
      return `EDNS udp=${r.udpPayloadSize} version ${r.version}${r.dnssecOk ? ' DO' : ''}`;
    case 'hex':
      return r.hex;
  }
}
