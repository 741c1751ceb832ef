import type { HttpTargetInput } from '../../../shared/http/client/contract';
import { type HttpTarget, parseHttpUrl } from '../../../shared/http/url';
import { parsePortField } from '../../net/errors';

/** How the user names where requests go: one URL, or host + port + TLS. */
export type TargetMode = 'url' | 'parts';

export interface TargetFields {
  readonly targetMode: TargetMode;
  readonly url: string;
  readonly host: string;
  readonly port: string;
  readonly tls: boolean;
  readonly acceptSelfSigned: boolean;
}

export type TargetControl = 'url' | 'host' | 'port';

export type ResolvedTarget =
  | {
      ok: true;
      /** What http.send connects to. */
      send: HttpTargetInput;
      /** The same as a parsed URL: Host value, origin for cookies, path for templates. */
      url: HttpTarget;
      /** "127.0.0.1:8080" or "example.com:443 (TLS)", as the response viewer names targets. */
      label: string;
    }
  | { ok: false; control: TargetControl; message: string };

function urlFromParts(host: string, port: number, tls: boolean): string {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  const hostPart = bare.includes(':') ? `[${bare}]` : bare;
  return `${tls ? 'https' : 'http'}://${hostPart}:${port}/`;
}

/** The target as the fields say it, or which field is wrong and why (in words for that field). */
export function resolveTarget(fields: TargetFields): ResolvedTarget {
  let url: HttpTarget;
  if (fields.targetMode === 'url') {
    const parsed = parseHttpUrl(fields.url);
    if (!parsed.ok) return { ok: false, control: 'url', message: parsed.message };
    url = parsed.target;
  } else {
    const host = fields.host.trim();
    if (host === '')
      return { ok: false, control: 'host', message: 'Type the server’s name or address, e.g. 127.0.0.1.' };
    if (/[/\s]|:\/\//.test(host) && !host.startsWith('[')) {
      return {
        ok: false,
        control: 'host',
        message: `“${host}” is not a host name: type only the name or address (the port goes in Port, the path in the request line).`,
      };
    }
    const port = parsePortField(fields.port);
    if (!port.ok) return { ok: false, control: 'port', message: port.message };
    if (port.port < 1 || port.port > 65535) {
      return { ok: false, control: 'port', message: `${port.port} is not a port: use a number from 1 to 65535.` };
    }
    const parsed = parseHttpUrl(urlFromParts(host, port.port, fields.tls));
    if (!parsed.ok) return { ok: false, control: 'host', message: parsed.message };
    url = parsed.target;
  }
  const tls = url.scheme === 'https';
  return {
    ok: true,
    send: { host: url.hostname, port: url.port, tls, acceptSelfSigned: tls && fields.acceptSelfSigned },
    url,
    label: `${url.host}:${url.port}${tls ? ' (TLS)' : ''}`,
  };
}

/** Switching from one way of naming the target to the other carries over what was typed. */
export function partsFromUrl(url: string): { host: string; port: string; tls: boolean } | null {
  const parsed = parseHttpUrl(url);
  if (!parsed.ok) return null;
  return { host: parsed.target.hostname, port: String(parsed.target.port), tls: parsed.target.scheme === 'https' };
}

export function urlFromFields(host: string, port: string, tls: boolean): string | null {
  const parsedPort = parsePortField(port);
  if (!parsedPort.ok || host.trim() === '') return null;
  const parsed = parseHttpUrl(urlFromParts(host, parsedPort.port, tls));
  return parsed.ok ? `${parsed.target.origin}/` : null;
}
