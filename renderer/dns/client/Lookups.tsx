import { useState } from 'react';
import type { ResponseOf } from '../../../shared/contract/index';
import { useClient } from '../../app/hooks';
import { TextField } from '../../net/fields';

const bad = (message: string | undefined) => (message ? { code: 'E_BAD_INPUT', message } : undefined);

/** getaddrinfo as a program calls it (`dns.lookup`): hosts file, then DNS; every address in order. */
export function NameLookupView() {
  const client = useClient();
  const [host, setHost] = useState('localhost');
  const [result, setResult] = useState<ResponseOf<'dns.lookup'>>();
  const [error, setError] = useState<string>();
  const look = async () => {
    setError(undefined);
    try {
      setResult(await client.call('dns.lookup', { host }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="panel" aria-label="Name lookup">
      <h2>Name lookup</h2>
      <p className="panel-intro">
        As a program does it (<code>gethostbyname</code>/<code>getaddrinfo</code>): the hosts file first, then DNS with
        the search domains. It can differ from asking a DNS server directly: the hosts file (localhost), search domains
        and caches answer before any server is asked.
      </p>
      <TextField label="Host name" value={host} onChange={setHost} onEnter={() => void look()} error={bad(error)} />
      <div className="actions">
        <button type="button" onClick={() => void look()}>
          Look up
        </button>
      </div>
      {result && (
        <ol className="mono" aria-label="Addresses">
          {result.addresses.map((a) => (
            <li key={a.address}>
              {a.address} ({a.family})
            </li>
          ))}
          <li className="field-hint">in {result.ms.toFixed(1)} ms</li>
        </ol>
      )}
    </section>
  );
}

/** getservbyname / getservbyport from the services file (or the built-in table, said so). */
export function ServiceLookupView() {
  const client = useClient();
  const [service, setService] = useState('smtp');
  const [result, setResult] = useState<ResponseOf<'dns.service'>>();
  const [error, setError] = useState<string>();
  const look = async () => {
    setError(undefined);
    try {
      const found = await client.call('dns.service', { service });
      setResult(found);
      if (found.entries.length === 0) setError(`no service '${service.trim()}' in ${found.source}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="panel" aria-label="Service to port">
      <h2>Service to port</h2>
      <TextField
        label="Service"
        value={service}
        onChange={setService}
        onEnter={() => void look()}
        error={bad(error)}
        hint="a name (smtp, http, domain) or a port number (25)"
      />
      <div className="actions">
        <button type="button" onClick={() => void look()}>
          Look up
        </button>
      </div>
      {result && result.entries.length > 0 && (
        <>
          <ul className="mono" aria-label="Services">
            {result.entries.map((e) => (
              <li key={`${e.name}-${e.port}-${e.protocol}`}>
                {e.name} → {e.port}/{e.protocol}
                {e.aliases.length > 0 ? ` (also ${e.aliases.join(', ')})` : ''}
              </li>
            ))}
          </ul>
          <p className="field-hint">from {result.source}</p>
        </>
      )}
    </section>
  );
}
