import { TextField } from '../../net/fields';
import { useStore } from '../../net/useStore';
import type { NameLookupModel, ServiceLookupModel } from './model';

const bad = (message: string | undefined) => (message ? { code: 'E_BAD_INPUT', message } : undefined);

/** getaddrinfo as a program calls it (`dns.lookup`): hosts file, then DNS; every address in order. */
export function NameLookupView({ model }: { model: NameLookupModel }) {
  const { host, busy, result, error } = useStore(model);
  return (
    <section className="panel" aria-label="Name lookup">
      <h2>Name lookup</h2>
      <p className="panel-intro">
        As a program does it (<code>gethostbyname</code>/<code>getaddrinfo</code>): the hosts file first, then DNS with
        the search domains. It can differ from asking a DNS server directly: the hosts file (localhost), search domains
        and caches answer before any server is asked.
      </p>
      <TextField
        label="Host name"
        value={host}
        onChange={(value) => model.setHost(value)}
        onEnter={() => void model.lookUp()}
        error={bad(error)}
      />
      <div className="actions">
        <button type="button" onClick={() => void model.lookUp()} disabled={busy}>
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
export function ServiceLookupView({ model }: { model: ServiceLookupModel }) {
  const { service, busy, result, error } = useStore(model);
  return (
    <section className="panel" aria-label="Service to port">
      <h2>Service to port</h2>
      <TextField
        label="Service"
        value={service}
        onChange={(value) => model.setService(value)}
        onEnter={() => void model.lookUp()}
        error={bad(error)}
        hint="a name (smtp, http, domain) or a port number (25)"
      />
      <div className="actions">
        <button type="button" onClick={() => void model.lookUp()} disabled={busy}>
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
