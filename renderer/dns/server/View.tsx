import { useMemo, useState } from 'react';
import type { DnsCacheEntry, DnsServerLogEntry } from '../../../shared/dns/server/contract';
import type { ResponseOf } from '../../../shared/contract/index';
import { hex } from '../../../shared/dns/dissect';
import { parseZone, sampleZone } from '../../../shared/dns/zone';
import { useClient, useEvent } from '../../app/hooks';
import { TextField } from '../../net/fields';

type Hierarchy = ResponseOf<'dnsHierarchy.start'>;

function describe(e: DnsServerLogEntry): string {
  switch (e.kind) {
    case 'listening':
      return `listening on ${e.local.address}:${e.local.port} (UDP and TCP), ${e.role}`;
    case 'query':
      return `${e.transport.toUpperCase()} query from ${e.client.address}:${e.client.port}, ${e.bytes} bytes: ${e.summary}\n  ${hex(e.data)}`;
    case 'reply':
      return `reply to ${e.client.address}:${e.client.port}, ${e.bytes} bytes: ${e.summary}\n  ${hex(e.data)}`;
    case 'hop':
      return `hop → ${e.server.address}:${e.server.port} ${e.question}${e.rttMs !== undefined ? ` (${e.rttMs.toFixed(2)} ms)` : ''}: ${e.outcome}`;
    case 'cache':
      return `cache: ${e.question}: ${e.outcome}`;
    case 'error':
      return `error: ${e.error.message}`;
    case 'stopped':
      return 'stopped';
  }
}

/** The authoritative server for a typed zone, and the hierarchy with its resolver. */
export function DnsServerView({ onTarget }: { onTarget: (host: string, port: number) => void }) {
  const client = useClient();
  const [port, setPort] = useState('5300');
  const [zone, setZone] = useState(sampleZone);
  const [running, setRunning] = useState<{ serverId: string; port: number }>();
  const [error, setError] = useState<string>();
  const [log, setLog] = useState<string[]>([]);
  const [hierarchy, setHierarchy] = useState<Hierarchy>();
  const [cache, setCache] = useState<DnsCacheEntry[]>([]);
  const [clock, setClock] = useState(() => performance.now());
  const zoneErrors = useMemo(() => parseZone(zone).errors, [zone]);
  const portNumber = Number(port);
  const portError =
    /^\d+$/.test(port.trim()) && portNumber <= 65535
      ? undefined
      : 'port must be a whole number from 0 (any free port) to 65535';

  useEvent('dnsServer.log', (event) => setLog((l) => [...l, ...event.entries.map(describe)].slice(-400)));
  useEvent('dnsResolver.cache', (event) => {
    setCache(event.entries);
    setClock(performance.now());
  });

  const start = async () => {
    setError(undefined);
    try {
      const started = await client.call('dnsServer.start', { port: portNumber, zone });
      setRunning({ serverId: started.serverId, port: started.local.port });
      onTarget('127.0.0.1', started.local.port);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const stop = async () => {
    if (!running) return;
    await client.call('dnsServer.stop', { serverId: running.serverId }).catch(() => undefined);
    setRunning(undefined);
  };
  const startHierarchy = async () => {
    setError(undefined);
    try {
      const started = await client.call('dnsHierarchy.start', {});
      setHierarchy(started);
      onTarget(started.servers[0]!.local.address, started.servers[0]!.local.port);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section className="panel" aria-label="DNS server">
      <h2>DNS server</h2>
      <p className="panel-intro">
        An authoritative server for the zone below (RFC 1035 master-file syntax), on UDP and TCP, bound to 127.0.0.1.
      </p>
      <TextField
        label="Port"
        value={port}
        onChange={setPort}
        error={portError ? { code: 'E_BAD_INPUT', message: portError } : undefined}
        className="field-port"
        inputMode="numeric"
        disabled={running !== undefined}
      />
      <div className="field">
        <label htmlFor="dns-zone">Zone</label>
        <textarea
          id="dns-zone"
          className="dns-zone mono"
          rows={14}
          value={zone}
          spellCheck={false}
          onChange={(e) => setZone(e.target.value)}
          aria-invalid={zoneErrors.length > 0 ? true : undefined}
          disabled={running !== undefined}
        />
        {zoneErrors.length > 0 && (
          <ul className="control-error" role="alert" aria-label="Zone errors">
            {zoneErrors.slice(0, 10).map((e, i) => (
              <li key={i}>
                line {e.line}, column {e.column}: {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="actions">
        <button
          type="button"
          onClick={() => void start()}
          disabled={running !== undefined || zoneErrors.length > 0 || portError !== undefined}
        >
          Start
        </button>
        <button type="button" onClick={() => void stop()} disabled={!running}>
          Stop
        </button>
        {running && <span>listening on 127.0.0.1:{running.port}</span>}
      </div>
      {error && (
        <p className="control-error" role="alert">
          {error}
        </p>
      )}
      <h3>The hierarchy</h3>
      <div className="actions">
        <button type="button" onClick={() => void startHierarchy()} disabled={hierarchy !== undefined}>
          Start root, TLD and authoritative servers
        </button>
        {hierarchy && (
          <button
            type="button"
            onClick={() => void client.call('dnsHierarchy.stop', {}).then(() => setHierarchy(undefined))}
          >
            Stop the hierarchy
          </button>
        )}
      </div>
      {hierarchy && (
        <ul className="dns-hierarchy">
          {[...hierarchy.servers, hierarchy.resolver].map((s) => (
            <li key={s.serverId}>
              {s.role} ({s.zone}) at {s.local.address}:{s.local.port}{' '}
              <button type="button" className="link-button" onClick={() => onTarget(s.local.address, s.local.port)}>
                ask this server
              </button>
            </li>
          ))}
        </ul>
      )}
      {cache.length > 0 && (
        <table className="dns-fields" aria-label="Resolver cache">
          <tbody>
            {cache.map((c) => (
              <tr key={c.key}>
                <td>{c.key}</td>
                <td className="mono">
                  TTL {c.ttl} s, {Math.max(0, Math.round((c.expiresMono - clock) / 1000))} s left when last changed
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <pre className="dns-log" role="log" aria-label="Server log">
        {log.join('\n')}
      </pre>
    </section>
  );
}
