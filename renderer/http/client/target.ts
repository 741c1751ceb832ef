import type { HttpTargetInput } from '../../../shared/http/client/contract';
import { type HttpTarget, parseHttpUrl } from '../../../shared/http/url';
import { controlError, parsePortField } from '../../net/errors';
import { without } from '../../net/session';
import type { ComposerControl, ComposerStore, TargetFields, TargetMode } from './composerState';

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

export const initialUrl = 'http://127.0.0.1:8080/';

export const initialTarget: TargetFields = {
  targetMode: 'url',
  url: initialUrl,
  host: '127.0.0.1',
  port: '8080',
  tls: false,
  acceptSelfSigned: false,
};

/**
 * The composer's target fields: a URL, or host, port and TLS. A field's edit clears its
 * own error and the send's, since the send's error may have been about this target.
 */
export class ComposerTarget {
  constructor(private readonly store: ComposerStore) {}

  /** The target, or null with the reason beside the wrong field (and beside `control`, which needed it). */
  resolve(control: ComposerControl): Extract<ResolvedTarget, { ok: true }> | null {
    const { state } = this.store;
    const target = resolveTarget(state);
    if (target.ok) return target;
    const errors = { ...state.errors, [target.control]: controlError(target.message) };
    if (control !== 'send')
      errors[control] = controlError(
        `Fix the ${target.control === 'url' ? 'URL' : target.control === 'host' ? 'host' : 'port'} first: ${target.message}`,
      );
    this.store.set({ ...state, errors });
    return null;
  }

  /** "127.0.0.1:8080" for the fields as they stand, or undefined while they are not a valid target. */
  label(): string | undefined {
    const target = resolveTarget(this.store.state);
    return target.ok ? target.label : undefined;
  }

  setTargetMode(targetMode: TargetMode): void {
    const { state } = this.store;
    if (targetMode === state.targetMode) return;
    const errors = without(state.errors, 'url', 'host', 'port');
    if (targetMode === 'parts') {
      const parts = partsFromUrl(state.url);
      this.store.set({ ...state, targetMode, ...(parts ?? {}), errors });
    } else {
      const url = urlFromFields(state.host, state.port, state.tls);
      this.store.set({ ...state, targetMode, url: url ?? state.url, errors });
    }
  }

  /** The URL replaces whatever named the target, with every target error gone. */
  pointAt(url: string): void {
    const { state } = this.store;
    this.store.set({ ...state, targetMode: 'url', url, errors: without(state.errors, 'url', 'host', 'port', 'send') });
  }

  setUrl(url: string): void {
    const { state } = this.store;
    this.store.set({ ...state, url, errors: without(state.errors, 'url', 'send') });
  }

  setHost(host: string): void {
    const { state } = this.store;
    this.store.set({ ...state, host, errors: without(state.errors, 'host', 'send') });
  }

  setPort(port: string): void {
    const { state } = this.store;
    this.store.set({ ...state, port, errors: without(state.errors, 'port', 'send') });
  }

  setTls(tls: boolean): void {
    const { state } = this.store;
    this.store.set({ ...state, tls, errors: without(state.errors, 'send') });
  }

  setAcceptSelfSigned(acceptSelfSigned: boolean): void {
    const { state } = this.store;
    this.store.set({ ...state, acceptSelfSigned, errors: without(state.errors, 'send') });
  }
}
