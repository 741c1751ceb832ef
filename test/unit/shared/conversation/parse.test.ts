import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToPayloads,
  type ConversationFile,
  expandEscapedText,
  formatProblem,
  parseConversationFile,
  type Payload,
  serializeConversationFile,
} from '../../../../shared/conversation/index';

const at = { line: 0, column: 0 };

function sendBytes(payloads: Payload[], vars: Record<string, string> = {}): Uint8Array {
  const parts = payloads.map((payload) => {
    if (payload.kind === 'hex' || payload.kind === 'base64') return payload.bytes;
    if (payload.kind === 'file') throw new Error('no files here');
    const expanded = expandEscapedText(payload.source, (name) => vars[name]);
    if (!expanded.ok) throw new Error(`unknown ${expanded.variable}`);
    return expanded.value;
  });
  return Buffer.concat(parts);
}

function parsed(text: string): ConversationFile {
  const outcome = parseConversationFile(text);
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => formatProblem('t', p)).join('\n'));
  return outcome.file;
}

function problems(text: string): string[] {
  const outcome = parseConversationFile(text);
  return outcome.ok ? [] : outcome.problems.map((p) => formatProblem('f.conv', p));
}

const sample = `# The textbook TCPClient against the uppercase server
var host = 127.0.0.1
var port = 12000

conversation tcp "TCP uppercase"
description Sends one line; the server answers it in capitals and closes.
target {{host}}:{{port}}
timeout 3s
send "hello, {{host}}\\r\\n"
expect exact "HELLO, {{host}}\\r\\n" name "upper-cased" points 2
expect within 500ms
expect closed

conversation http "GET twice"
target {{host}}:8080
send "GET / HTTP/1.1\\r\\n"
     "Host: {{host}}\\r\\n"
     "\\r\\n"
expect status 200
expect header Content-Type contains "text/html"
capture lm header Last-Modified
send "GET / HTTP/1.1\\r\\nIf-Modified-Since: {{lm}}\\r\\n\\r\\n"
expect status 304 points 1
expect body regex /^$/ if never
`;

describe('parseConversationFile', () => {
  it('reads variables, conversations, steps, checks and captures', () => {
    const file = parsed(sample);
    expect(file.variables.map((v) => [v.name, v.value])).toEqual([
      ['host', '127.0.0.1'],
      ['port', '12000'],
    ]);
    const [tcp, http] = file.conversations;
    expect(tcp?.tool).toBe('tcp');
    expect(tcp?.title).toBe('TCP uppercase');
    expect(tcp?.target).toMatchObject({ host: '{{host}}', port: '{{port}}', tls: false });
    expect(tcp?.timeoutMs).toBe(3000);
    expect(tcp?.steps).toHaveLength(1);
    const checks = tcp?.steps[0]?.checks ?? [];
    expect(checks.map((c) => [c.name, c.points])).toEqual([
      ['upper-cased', 2],
      ['within 500ms', undefined],
      ['closed', undefined],
    ]);
    expect(Buffer.from(sendBytes(tcp?.steps[0]?.send ?? [], { host: 'h' })).toString()).toBe('hello, h\r\n');
    expect(Buffer.from(sendBytes(http?.steps[0]?.send ?? [], { host: 'h' })).toString()).toBe(
      'GET / HTTP/1.1\r\nHost: h\r\n\r\n',
    );
    expect(http?.steps[0]?.captures).toEqual([
      { name: 'lm', source: { from: 'header', header: 'Last-Modified' }, at: { line: 21, column: 9 } },
    ]);
    expect(http?.steps[1]?.checks[1]?.onlyIf).toBe('never');
  });

  it('serializes to text that parses back to the same file', () => {
    const file = parsed(sample);
    const again = parsed(serializeConversationFile(file));
    const strip = (value: unknown) => JSON.parse(JSON.stringify(value, (k, v) => (k === 'at' ? undefined : v)));
    expect(strip(again)).toEqual(strip(file));
  });

  it('reports file:line:column: expected … and never throws', () => {
    expect(problems('conversation ftp\n')).toEqual([
      'f.conv:1:14: expected a tool (udp, tcp, http, smtp), found "ftp"',
    ]);
    expect(problems('conversation tcp\ntarget h:1\nsend "a\\qb"\n')[0]).toMatch(
      /^f\.conv:3:8: expected text with valid escapes/,
    );
    expect(problems('conversation tcp\ntarget h:1\nsend "abc\n')).toEqual([
      'f.conv:3:6: expected a closing " for the text that starts here',
    ]);
    expect(problems('conversation udp\ntarget h:1\nsend "x"\nexpect status 200\n')).toEqual([
      'f.conv:4:8: expected a check for udp (status is for http)',
    ]);
    expect(problems('send "x"\n')[0]).toMatch(/^f\.conv:1:1: expected "conversation TOOL"/);
    expect(problems('conversation tcp\nsend "x"\n')[0]).toMatch(/^f\.conv:1:1: expected a "target host:port" line/);
    expect(problems('')[0]).toMatch(/found no conversation/);
    expect(problems('conversation tcp\ntarget h:1\nsend "x"\nexpect regex /(/\n')[0]).toMatch(
      /^f\.conv:4:14: expected a valid regular expression/,
    );
    expect(problems('conversation tcp\ntarget h:1\nsend "{{ oops"\n')[0]).toMatch(
      /^f\.conv:3:7: expected \{\{name\}\}/,
    );
    expect(problems('conversation tcp\ntarget h:1\nsend hex 0g\n')[0]).toMatch(/^f\.conv:3:10: expected pairs of hex/);
    expect(problems('\0\0binary')[0]).toMatch(/^f\.conv:1:1: expected text without control characters/);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        parseConversationFile(text);
        parseConversationFile(`conversation tcp\ntarget a:1\nsend ${text}\nexpect ${text}`);
      }),
      { numRuns: 500 },
    );
  });

  it('save then open gives byte-identical sends for any bytes (CR, LF, NUL, invalid UTF-8, braces)', () => {
    const interesting = fc.constantFrom(0x0d, 0x0a, 0x00, 0x22, 0x5c, 0x7b, 0x7d, 0xff, 0xc3, 0xed, 0xa0, 0x80, 0x23);
    const byteArrays = fc.array(
      fc.oneof(fc.integer({ min: 0, max: 255 }), interesting, fc.integer({ min: 0x20, max: 0x7e })),
      {
        maxLength: 200,
      },
    );
    fc.assert(
      fc.property(fc.array(byteArrays, { minLength: 1, maxLength: 4 }), (sends) => {
        const file: ConversationFile = {
          variables: [],
          conversations: [
            {
              tool: 'tcp',
              title: 'prop',
              description: '',
              target: { host: '127.0.0.1', port: '1', tls: false, at },
              steps: sends.map((bytes) => ({
                send: bytesToPayloads(Uint8Array.from(bytes)),
                checks: [],
                captures: [],
                at,
              })),
              at,
            },
          ],
        };
        const back = parsed(serializeConversationFile(file));
        const steps = back.conversations[0]?.steps ?? [];
        expect(steps).toHaveLength(sends.length);
        steps.forEach((step, i) => expect([...sendBytes(step.send ?? [])]).toEqual(sends[i]));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps lone surrogates from text as their UTF-8 replacement (text cannot hold them as bytes)', () => {
    const back = parsed(serializeConversationFile(parsed('conversation tcp\ntarget a:1\nsend "\\xed\\xa0\\x80"\n')));
    expect([...sendBytes(back.conversations[0]?.steps[0]?.send ?? [])]).toEqual([0xed, 0xa0, 0x80]);
  });
});
