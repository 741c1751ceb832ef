import { useState } from 'react';
import { ErrorText } from '../../net/fields';
import { useStore } from '../../net/useStore';
import type { ComposerModel } from './model';

function expiry(expiresAt: number | null): string {
  if (expiresAt === null) return 'end of session';
  return new Date(expiresAt).toUTCString().replace(' GMT', ' UTC');
}

/**
 * The cookies kept for the current target, as Set-Cookie left them or as the user
 * changed them. They go into a request only through "Cookie from the list", where
 * the user sees the header.
 */
export function ComposerCookies({ model }: { model: ComposerModel }) {
  const state = useStore(model);
  const { origin, cookies } = model.cookiesForTarget();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [editing, setEditing] = useState<Record<string, string>>({});
  const total = Object.values(state.cookies.origins).reduce((sum, list) => sum + list.length, 0);
  return (
    <details className="composer-cookies">
      <summary>
        Cookies {origin ? <>for {origin}</> : null} ({cookies.length}
        {total > cookies.length ? ` here, ${total} in all` : ''})
      </summary>
      {cookies.length === 0 ? (
        <p className="composer-muted">
          None yet. Cookies arrive with Set-Cookie in responses from this target; you can also add one.
        </p>
      ) : (
        <table className="cookie-table">
          <caption className="visually-hidden">Cookies for {origin}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">Path</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {cookies.map((cookie) => {
              const key = `${cookie.name}\u0000${cookie.path}`;
              const draft = editing[key];
              return (
                <tr key={key}>
                  <th scope="row" className="mono">
                    {cookie.name}
                  </th>
                  <td>
                    <input
                      type="text"
                      className="mono"
                      aria-label={`Value of cookie ${cookie.name}`}
                      value={draft ?? cookie.value}
                      spellCheck={false}
                      onChange={(event) => setEditing({ ...editing, [key]: event.target.value })}
                      onBlur={() => {
                        if (draft === undefined) return;
                        if (model.putCookie({ name: cookie.name, value: draft, path: cookie.path })) {
                          const { [key]: _done, ...rest } = editing;
                          setEditing(rest);
                        }
                      }}
                    />
                  </td>
                  <td className="mono">{cookie.path}</td>
                  <td>
                    {expiry(cookie.expiresAt)}
                    {cookie.httpOnly ? ', HttpOnly' : ''}
                    {cookie.secure ? ', Secure' : ''}
                  </td>
                  <td>
                    <button type="button" onClick={() => model.deleteCookie(cookie.name, cookie.path)}>
                      Delete<span className="visually-hidden"> cookie {cookie.name}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <form
        className="cookie-add"
        onSubmit={(event) => {
          event.preventDefault();
          if (model.putCookie({ name, value })) {
            setName('');
            setValue('');
          }
        }}
      >
        <label>
          Name{' '}
          <input
            type="text"
            className="mono"
            value={name}
            spellCheck={false}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label>
          Value{' '}
          <input
            type="text"
            className="mono"
            value={value}
            spellCheck={false}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
        <button type="submit">Add cookie</button>
      </form>
      <ErrorText error={state.errors.cookies} />
    </details>
  );
}
