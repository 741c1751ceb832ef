import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serve } from '../../../../electron/serve';
import { services } from '../../../../electron/services';
import { type CommandName, commands } from '../../../../shared/contract';
import { bindAddress, findControlCharacter, hostName } from '../../../../shared/net/contract';
import { createMemoryPortPair } from '../../../../shared/transport/memoryPort';

/** U+0000–U+001F and U+007F: every one of them, not only NUL. */
const controlCharacters = [...Array.from({ length: 0x20 }, (_, code) => code), 0x7f].map((code) =>
  String.fromCharCode(code),
);
const spelled = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Every request field that names a host to look up, bind to or send (SNI, greeting),
 * with the command it belongs to and the path that leads to it. The first test keeps
 * this list complete.
 */
const hostFields: Array<{ method: CommandName; path: string[] }> = [
  { method: 'udp.open', path: ['bindAddress'] },
  { method: 'udp.open', path: ['connect', 'host'] },
  { method: 'udp.send', path: ['host'] },
  { method: 'udpServer.start', path: ['bindAddress'] },
  { method: 'tcp.connect', path: ['host'] },
  { method: 'tcp.connect', path: ['bindAddress'] },
  { method: 'tcpServer.start', path: ['bindAddress'] },
  { method: 'http.send', path: ['target', 'host'] },
  { method: 'http.send', path: ['target', 'servername'] },
  { method: 'http.send', path: ['bindAddress'] },
  { method: 'webServer.start', path: ['bindAddress'] },
  { method: 'smtp.connect', path: ['host'] },
  { method: 'smtp.connect', path: ['servername'] },
  { method: 'smtp.startTls', path: ['servername'] },
  { method: 'mailServer.start', path: ['bindAddress'] },
  { method: 'mailServer.start', path: ['hostname'] },
  { method: 'dns.query', path: ['host'] },
  { method: 'dns.lookup', path: ['host'] },
  { method: 'dnsServer.start', path: ['bindAddress'] },
];

/** A payload with `value` at `path` (and whatever objects lead there). */
function payloadWith(path: readonly string[], value: unknown): Record<string, unknown> {
  const [first, ...rest] = path;
  if (first === undefined) throw new Error('empty path');
  return { [first]: rest.length === 0 ? value : payloadWith(rest, value) };
}

function issuesAt(method: CommandName, path: readonly string[], value: string) {
  const checked = commands[method].request.safeParse(payloadWith(path, value));
  if (checked.success) return [];
  return checked.error.issues.filter((issue) => issue.path.join('.') === path.join('.'));
}

/** Request fields whose names say they hold a host, found in the contract's own JSON Schema. */
function hostLikeFieldsOfContract(): string[] {
  const found: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, unknown>)) {
      // Only text holds a name: a switch such as webServer.start's checkHost does not.
      const text = (child as { type?: unknown } | undefined)?.type !== 'boolean';
      if (/host|address|servername|domain/i.test(name) && text) found.push(`${path}.${name}`);
      walk(child, `${path}.${name}`);
    }
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
      const list = schema[key];
      if (Array.isArray(list)) for (const child of list) walk(child, path);
    }
    if (schema.items) walk(schema.items, `${path}[]`);
  };
  for (const [method, { request }] of Object.entries(commands)) {
    walk(z.toJSONSchema(request, { io: 'input', unrepresentable: 'any' }), method);
  }
  return found.sort();
}

describe('host fields refuse control characters', () => {
  it('the list below covers every host-like field of every command', () => {
    expect(hostFields.map(({ method, path }) => [method, ...path].join('.')).sort()).toEqual(
      hostLikeFieldsOfContract(),
    );
  });

  it.each(hostFields)('$method $path: refuses each of U+0000–U+001F and U+007F inside the name', ({ method, path }) => {
    for (const c of controlCharacters) {
      const issues = issuesAt(method, path, `127.0.0.1${c}.evil.example`);
      expect(issues, `${method} ${path.join('.')} with ${spelled(c)}`).not.toEqual([]);
    }
    // The same field without the control character is fine.
    expect(issuesAt(method, path, 'mail.example')).toEqual([]);
  });

  it('says which character and where, for host and bindAddress alike', () => {
    for (const schema of [hostName, bindAddress]) {
      const checked = schema.safeParse('127.0.0.1\0.evil.example');
      expect(checked.success).toBe(false);
      expect(checked.error?.issues[0]?.message).toMatch(
        /^control characters are not allowed in a name, and this one has \\x00 at character 10 /,
      );
    }
    expect(hostName.safeParse('localhost\x7f').error?.issues[0]?.message).toMatch(/\\x7f at character 10/);
  });

  it('still takes ordinary names and addresses', () => {
    for (const host of ['localhost', '127.0.0.1', '::1', '[::1]', 'gaia.cs.umass.edu', ' example.org ']) {
      expect(hostName.safeParse(host).success, host).toBe(true);
    }
  });

  it('findControlCharacter spells the first one and counts from 1', () => {
    expect(findControlCharacter('abc')).toBeUndefined();
    expect(findControlCharacter('a\x1fb\0')).toEqual({ shown: '\\x1f', position: 2 });
  });
});

describe('over the real dispatcher', () => {
  function connect() {
    const [rendererEnd, nodeEnd] = createMemoryPortPair();
    serve(nodeEnd, { transport: 'memory', services, log: () => {} });
    return rendererEnd;
  }

  function answerTo(rendererEnd: ReturnType<typeof connect>, id: number): Promise<unknown> {
    return new Promise((resolve) => {
      const off = rendererEnd.onFrame((frame) => {
        if ((frame as { kind?: string; id?: number }).kind !== 'response' || (frame as { id: number }).id !== id) {
          return;
        }
        off();
        resolve(frame);
      });
    });
  }

  it.each([
    ['tcp.connect', { host: '127.0.0.1\0.evil.example', port: 80 }, 'payload.host'],
    ['udp.open', { bindAddress: '127.0.0.1\0.evil.example' }, 'payload.bindAddress'],
    ['tcpServer.start', { bindAddress: '127.0.0.1\r\n0.0.0.0' }, 'payload.bindAddress'],
    ['smtp.connect', { host: 'localhost', port: 25, servername: 'mail.example\0.evil' }, 'payload.servername'],
  ])('%s answers E_BAD_REQUEST naming %j', async (method, payload, field) => {
    const rendererEnd = connect();
    const answer = answerTo(rendererEnd, 41);
    rendererEnd.send({ kind: 'request', id: 41, method, payload });
    expect(await answer).toMatchObject({
      ok: false,
      error: {
        code: 'E_BAD_REQUEST',
        field,
        message: expect.stringContaining(`${method}: ${field}: control characters are not allowed in a name`),
      },
    });
    rendererEnd.close();
  });
});
