import { useEffect, useMemo, useRef, useState } from 'react';
import { type DnsDissection, dissectDns } from '../../../shared/dns/dissect';
import type { ResponseOf } from '../../../shared/contract/index';
import { formatTtl, queryTypeChoices, rcodeMeaning, rcodeName, typeName } from '../../../shared/dns/types';
import { useClient } from '../../app/hooks';
import { CheckboxField, TextField } from '../../net/fields';
import { FieldTable, HexMap } from './HexMap';
import { buildDraft, initialDraft, type QueryDraft, referralOf } from './model';

type QueryResult = ResponseOf<'dns.query'>;

function Problem({ text }: { text: string | undefined }) {
  return text ? (
    <p className="control-error" role="alert">
      {text}
    </p>
  ) : null;
}

/** The query builder, the send with its deadline, and the dissected reply. */
export function DnsClientView({
  defaultServer,
  target,
}: {
  defaultServer: string;
  target?: { host: string; port: number };
}) {
  const client = useClient();
  const [draft, setDraft] = useState<QueryDraft>(() => initialDraft(defaultServer));
  const [result, setResult] = useState<QueryResult>();
  const [error, setError] = useState<string>();
  const [waiting, setWaiting] = useState<{ until: number; abort: AbortController }>();
  const [now, setNow] = useState(Date.now());
  const [selectedQuery, setSelectedQuery] = useState<string>();
  const [selectedReply, setSelectedReply] = useState<string>();
  const [hops, setHops] = useState<string[]>([]);
  const built = useMemo(() => buildDraft(draft), [draft]);
  const query = useMemo(() => (built.bytes ? dissectDns(built.bytes) : undefined), [built]);
  const reply = useMemo(() => (result?.reply ? dissectDns(result.reply.data) : undefined), [result]);
  const referral = reply ? referralOf(reply) : undefined;
  const set = (patch: Partial<QueryDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const lastTarget = useRef<string>('');

  useEffect(() => {
    const key = target ? `${target.host}:${target.port}` : '';
    if (target && key !== lastTarget.current) {
      lastTarget.current = key;
      setDraft((d) => ({ ...d, server: target.host, port: String(target.port) }));
    }
  }, [target]);
  useEffect(() => {
    if (defaultServer && draft.server === '127.0.0.1' && !target) set({ server: defaultServer });
    // only when the system's resolver becomes known
  }, [defaultServer]);
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [waiting]);

  const send = async (override?: Partial<QueryDraft>) => {
    const d = { ...draft, ...override };
    const b = buildDraft(d);
    if (!b.bytes || Object.keys(b.errors).length > 0) return;
    const abort = new AbortController();
    setWaiting({ until: Date.now() + b.timeoutMs, abort });
    setError(undefined);
    try {
      const answer = await client.call(
        'dns.query',
        {
          host: d.server.trim(),
          port: b.port,
          transport: d.transport,
          data: b.bytes,
          timeoutMs: b.timeoutMs,
          retryTcp: d.retryTcp,
        },
        { signal: abort.signal },
      );
      setResult(answer);
      const hop = answer.reply
        ? `${d.server}:${b.port} answered in ${answer.reply.rttMs.toFixed(1)} ms`
        : `${d.server}:${b.port}: ${answer.noReply ?? 'no reply'}`;
      setHops((h) => [...h, hop].slice(-20));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setWaiting(undefined);
      setSelectedReply(undefined);
    }
  };

  const flag = (key: keyof QueryDraft['flags'], label: string) => (
    <CheckboxField
      label={label}
      checked={Boolean(draft.flags[key])}
      onChange={(v) => set({ flags: { ...draft.flags, [key]: v } })}
    />
  );

  return (
    <>
      <section className="panel" aria-label="DNS query">
        <h2>DNS query</h2>
        <div className="field-row">
          <TextField
            label="Name"
            value={draft.name}
            onChange={(name) => set({ name })}
            error={err(built.errors.name)}
            className="field-grow"
            hint={built.ascii && built.unicode !== built.ascii ? `IDNA: ${built.unicode} → ${built.ascii}` : undefined}
          />
          <div className="field">
            <label htmlFor="dns-type">Type</label>
            <input
              id="dns-type"
              list="dns-types"
              value={draft.type}
              onChange={(e) => set({ type: e.target.value })}
              aria-invalid={built.errors.type ? true : undefined}
            />
            <datalist id="dns-types">
              {queryTypeChoices.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
            <Problem text={built.errors.type} />
          </div>
        </div>
        <div className="field-row">
          <TextField
            label="Server"
            value={draft.server}
            onChange={(server) => set({ server })}
            error={err(built.errors.server)}
            className="field-grow"
          />
          <TextField
            label="Port"
            value={draft.port}
            onChange={(port) => set({ port })}
            error={err(built.errors.port)}
            className="field-port"
            inputMode="numeric"
          />
          <TextField
            label="ID"
            value={draft.id}
            onChange={(id) => set({ id })}
            error={err(built.errors.id)}
            className="field-port"
            inputMode="numeric"
          />
          <TextField
            label="Deadline (s)"
            value={draft.timeoutSeconds}
            onChange={(timeoutSeconds) => set({ timeoutSeconds })}
            error={err(built.errors.timeout)}
            className="field-seconds"
          />
        </div>
        <div className="field-row dns-flags">
          {flag('rd', 'Recursion desired')}
          {flag('qr', 'QR (response)')}
          {flag('aa', 'AA')}
          {flag('tc', 'TC')}
          {flag('ra', 'RA')}
          {flag('z', 'Z')}
          {flag('ad', 'AD')}
          {flag('cd', 'CD')}
          <CheckboxField label="EDNS (OPT, 1232 bytes)" checked={draft.edns} onChange={(edns) => set({ edns })} />
          <CheckboxField
            label="Over TCP"
            checked={draft.transport === 'tcp'}
            onChange={(tcp) => set({ transport: tcp ? 'tcp' : 'udp' })}
          />
          <CheckboxField
            label="Retry over TCP when TC=1"
            checked={draft.retryTcp}
            onChange={(retryTcp) => set({ retryTcp })}
          />
        </div>
        <div className="actions">
          <button
            type="button"
            onClick={() => void send()}
            disabled={!built.bytes || Object.keys(built.errors).length > 0 || waiting !== undefined}
          >
            Send
          </button>
          {waiting && (
            <span className="countdown">
              waiting for the reply: {Math.max(0, (waiting.until - now) / 1000).toFixed(1)} s left{' '}
              <button type="button" onClick={() => waiting.abort.abort()}>
                Cancel
              </button>
            </span>
          )}
        </div>
        <Problem text={error} />
        {query && built.bytes && (
          <details open>
            <summary>The query&apos;s {built.bytes.length} bytes</summary>
            <HexMap
              label="Query bytes"
              bytes={built.bytes}
              fields={query.fields}
              pointers={query.pointers}
              selected={selectedQuery}
              onSelect={setSelectedQuery}
            />
            <FieldTable
              label="Query fields"
              fields={query.fields}
              selected={selectedQuery}
              onSelect={setSelectedQuery}
            />
          </details>
        )}
      </section>
      <section className="panel" aria-label="Reply">
        <h2>Reply</h2>
        {!result && (
          <p className="field-hint">Send a query: the reply is dissected here, every field with its byte offset.</p>
        )}
        {result?.noReply && (
          <p className="control-error" role="alert">
            {result.noReply}
          </p>
        )}
        {result?.attempts.map((a, i) => (
          <p key={i} className="mono">
            {a.transport.toUpperCase()} to {a.to.address}:{a.to.port}: {a.sentBytes} bytes sent
            {a.rttMs !== undefined ? `, reply after ${a.rttMs.toFixed(2)} ms` : ''}
            {a.truncated ? ' — TC=1: the answer did not fit, so it was asked again over TCP' : ''}
          </p>
        ))}
        {result?.reply?.otherId && (
          <p className="warning" role="alert">
            The reply&apos;s ID is {result.reply.otherId.got}, not {result.reply.otherId.expected}: a resolver would
            drop it (it could be spoofed).
          </p>
        )}
        {result?.reply?.otherAddress && (
          <p className="warning" role="alert">
            The reply came from {result.reply.otherAddress.got.address}:{result.reply.otherAddress.got.port}, not the
            server asked: a resolver would drop it.
          </p>
        )}
        {reply && result?.reply && <ReplySummary d={reply} />}
        {referral && (
          <div className="actions">
            <span>
              Referral: ask <code>{referral.ns}</code> at {referral.address} about <code>{referral.zone}</code>.
            </span>
            <button
              type="button"
              onClick={() => {
                set({ server: referral.address });
                void send({ server: referral.address });
              }}
            >
              Follow referral
            </button>
          </div>
        )}
        {hops.length > 0 && (
          <ol className="dns-hops" aria-label="Hops">
            {hops.map((h, i) => (
              <li key={i}>{h}</li>
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
              selected={selectedReply}
              onSelect={setSelectedReply}
            />
            <FieldTable
              label="Reply fields"
              fields={reply.fields}
              selected={selectedReply}
              onSelect={setSelectedReply}
            />
          </>
        )}
      </section>
    </>
  );
}

function err(message: string | undefined) {
  return message ? { code: 'E_BAD_INPUT', message } : undefined;
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
          {r.section}: {r.name.text} {r.type === 41 ? '' : `${r.ttl} (${formatTtl(r.ttl)})`} {typeName(r.type)}{' '}
          {rdataText(r.rdata)}
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
