import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequests, parseResponses } from '../../../../../shared/http/parse/collect';
import type { ParseEvent } from '../../../../../shared/http/parse/events';
import { createRequestParser } from '../../../../../shared/http/parse/requestParser';
import { createResponseParser } from '../../../../../shared/http/parse/responseParser';
import { canonical, latin1, splitAt } from './harness';

/** Pieces that steer random input into the parsers' interesting states. */
const fragments = [
  'HTTP/1.1 ',
  'HTTP/1.0 ',
  'GET / HTTP/1.1',
  'POST /x HTTP/1.1',
  '200 OK',
  '100 Continue',
  '101 Switching',
  '204 ',
  '304 ',
  '\r\n',
  '\r\n\r\n',
  '\n',
  '\r',
  ' ',
  '\t',
  ':',
  'Host: h',
  'Content-Length: 5',
  'Content-Length: 0',
  'Content-Length: 3, 4',
  'Transfer-Encoding: chunked',
  'Connection: close',
  '0\r\n\r\n',
  '5\r\n',
  'a;x=1\r\n',
  'hello',
  '\xff',
  '\x00',
].map(latin1);

const messyBytes = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.uint8Array({ maxLength: 12 })), { maxLength: 40 })
  .map((parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  });

const cutsFor = (bytes: Uint8Array, raw: number[]) =>
  [...new Set(raw.map((n) => (bytes.length > 1 ? 1 + (n % (bytes.length - 1)) : 0)))]
    .filter((n) => n > 0 && n < bytes.length)
    .sort((a, b) => a - b);

interface Limits {
  maxHeadBytes: number;
  maxBodyBytes: number;
}

/** Pushes the chunks while checking the memory bound after each push. */
function drive(
  parser: { push(c: Uint8Array): ParseEvent<unknown>[]; end(): ParseEvent<unknown>[]; readonly bufferedBytes: number },
  chunks: Uint8Array[],
  limits: Limits,
): ParseEvent<unknown>[] {
  const events: ParseEvent<unknown>[] = [];
  for (const chunk of chunks) {
    events.push(...parser.push(chunk));
    if (parser.bufferedBytes > limits.maxHeadBytes + 1) throw new Error(`buffered ${parser.bufferedBytes} bytes`);
  }
  events.push(...parser.end());
  return events;
}

function checkInvariants(events: ParseEvent<unknown>[], total: number, limits: Limits): void {
  const kept = new Map<number, number>();
  let lastDataEnd = 0;
  for (const event of events) {
    if (event.type === 'body' || event.type === 'unparsed') {
      const length = event.type === 'body' ? event.length : event.data.length;
      // Data events never overlap and stay inside the stream.
      expect(event.offset).toBeGreaterThanOrEqual(lastDataEnd);
      expect(event.offset + length).toBeLessThanOrEqual(total);
      lastDataEnd = event.offset + length;
    }
    if (event.type === 'body' && event.data) {
      kept.set(event.messageIndex, (kept.get(event.messageIndex) ?? 0) + event.data.length);
    }
    if (event.type === 'diagnostic') {
      expect(event.diagnostic.offset).toBeGreaterThanOrEqual(0);
      expect(event.diagnostic.offset + event.diagnostic.length).toBeLessThanOrEqual(total);
      expect(event.diagnostic.message.length).toBeGreaterThan(10);
    }
  }
  for (const bytes of kept.values()) expect(bytes).toBeLessThanOrEqual(limits.maxBodyBytes);
}

const limitsArb = fc.record({
  maxHeadBytes: fc.constantFrom(64, 100, 65536),
  maxBodyBytes: fc.constantFrom(0, 4, 1 << 20),
});

describe('fuzzing the parsers with arbitrary bytes', () => {
  it('responses: no exception, bounded buffering, same events for any chunking', () => {
    fc.assert(
      fc.property(
        messyBytes,
        fc.array(fc.constantFrom('GET', 'HEAD', 'POST', 'CONNECT'), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        limitsArb,
        (bytes, requests, rawCuts, limits) => {
          const options = { requests, ...limits };
          const whole = drive(createResponseParser(options), [bytes], limits);
          const split = drive(createResponseParser(options), splitAt(bytes, cutsFor(bytes, rawCuts)), limits);
          expect(canonical(split)).toBe(canonical(whole));
          checkInvariants(whole, bytes.length, limits);
        },
      ),
      { numRuns: 400, seed: 20240611 },
    );
  });

  it('requests: no exception, bounded buffering, same events for any chunking', () => {
    fc.assert(
      fc.property(messyBytes, fc.array(fc.nat(), { maxLength: 12 }), limitsArb, (bytes, rawCuts, limits) => {
        const whole = drive(createRequestParser(limits), [bytes], limits);
        const split = drive(createRequestParser(limits), splitAt(bytes, cutsFor(bytes, rawCuts)), limits);
        expect(canonical(split)).toBe(canonical(whole));
        checkInvariants(whole, bytes.length, limits);
      }),
      { numRuns: 400, seed: 20240612 },
    );
  });

  it('uniformly random bytes, one byte at a time', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), limitsArb, (bytes, limits) => {
        const options = { requests: ['GET'], ...limits };
        const whole = drive(createResponseParser(options), [bytes], limits);
        const bytewise = drive(
          createResponseParser(options),
          splitAt(bytes, cutsFor(bytes, [...bytes.keys()])),
          limits,
        );
        expect(canonical(bytewise)).toBe(canonical(whole));
        drive(createRequestParser(limits), [bytes], limits);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

const token = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,11}$/)
  .filter((name) => !['content-length', 'transfer-encoding', 'connection', 'trailer'].includes(name.toLowerCase()));
const fieldValue = fc.stringMatching(/^([!-~]([ -~]{0,20}[!-~])?)?$/);
const fields = fc.array(fc.tuple(token, fieldValue), { maxLength: 5 });

interface GeneratedResponse {
  interim: number[];
  status: number;
  reason: string;
  version: '1.0' | '1.1';
  fields: [string, string][];
  body: Uint8Array;
  framing: 'length' | 'chunked' | 'close';
  chunkSizes: number[];
  extensions: boolean;
  trailers: [string, string][];
  method: 'GET' | 'HEAD';
}

const responseArb: fc.Arbitrary<GeneratedResponse> = fc.record({
  interim: fc.array(fc.constantFrom(100, 102, 103), { maxLength: 2 }),
  status: fc.constantFrom(200, 201, 203, 206, 400, 404, 500, 503),
  reason: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,12}$/),
  version: fc.constantFrom('1.0' as const, '1.1' as const),
  fields,
  body: fc.uint8Array({ maxLength: 200 }),
  framing: fc.constantFrom('length' as const, 'chunked' as const, 'close' as const),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 8 }),
  extensions: fc.boolean(),
  trailers: fields,
  method: fc.constantFrom('GET' as const, 'HEAD' as const),
});

function serialise(response: GeneratedResponse, last: boolean): { bytes: Uint8Array; framing: string } {
  const framing = response.framing === 'close' && !last ? 'length' : response.framing;
  const parts: (string | Uint8Array)[] = [];
  for (const code of response.interim) parts.push(`HTTP/1.1 ${code} Interim\r\n\r\n`);
  parts.push(`HTTP/${response.version} ${response.status} ${response.reason}\r\n`);
  for (const [name, value] of response.fields) parts.push(`${name}: ${value}\r\n`);
  if (framing === 'length') parts.push(`Content-Length: ${response.body.length}\r\n`);
  if (framing === 'chunked') parts.push('Transfer-Encoding: chunked\r\n');
  if (response.version === '1.0' && framing !== 'close') parts.push('Connection: keep-alive\r\n');
  parts.push('\r\n');
  if (response.method !== 'HEAD') {
    if (framing === 'chunked') {
      let at = 0;
      let i = 0;
      while (at < response.body.length) {
        const size = Math.min(
          response.chunkSizes[i++ % Math.max(1, response.chunkSizes.length)] ?? 16,
          response.body.length - at,
        );
        parts.push(
          `${size.toString(16)}${response.extensions ? `;n=${i}` : ''}\r\n`,
          response.body.subarray(at, at + size),
          '\r\n',
        );
        at += size;
      }
      parts.push('0\r\n');
      for (const [name, value] of response.trailers) parts.push(`${name}: ${value}\r\n`);
      parts.push('\r\n');
    } else {
      parts.push(response.body);
    }
  }
  const chunks = parts.map((part) => (typeof part === 'string' ? latin1(part) : part));
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { bytes, framing };
}

describe('generated valid messages round-trip', () => {
  it('responses: statuses, fields, trailers and bodies come back exactly, with no warnings', () => {
    fc.assert(
      fc.property(
        fc.array(responseArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 16 }),
        (responses, rawCuts) => {
          const serialised = responses.map((r, i) => serialise(r, i === responses.length - 1));
          const bytes = new Uint8Array(serialised.reduce((n, s) => n + s.bytes.length, 0));
          let at = 0;
          for (const s of serialised) {
            bytes.set(s.bytes, at);
            at += s.bytes.length;
          }
          const result = parseResponses(splitAt(bytes, cutsFor(bytes, rawCuts)), {
            requests: responses.map((r) => r.method),
          });
          const finals = result.messages.filter((m) => !m.head.interim);
          expect(finals).toHaveLength(responses.length);
          expect(result.messages).toHaveLength(responses.reduce((n, r) => n + r.interim.length + 1, 0));
          expect(result.unparsed).toEqual([]);
          expect(result.diagnostics).toEqual([]);
          for (const [i, response] of responses.entries()) {
            const message = finals[i];
            if (!message) throw new Error('missing message');
            expect(message.head.status).toBe(response.status);
            expect(message.head.reason).toBe(response.reason);
            expect(message.head.requestIndex).toBe(i);
            expect(
              message.head.fields
                .filter((f) => !['content-length', 'transfer-encoding', 'connection'].includes(f.name.toLowerCase()))
                .map((f) => [f.name, f.value]),
            ).toEqual(response.fields);
            expect(message.complete).toBe(true);
            expect(message.body).toEqual(response.method === 'HEAD' ? new Uint8Array(0) : response.body);
            const chunked = serialised[i]?.framing === 'chunked' && response.method !== 'HEAD';
            expect(message.trailers.map((f) => [f.name, f.value])).toEqual(chunked ? response.trailers : []);
            const notes = message.diagnostics.filter(
              (d) => d.severity !== 'info' && d.code !== 'transfer-encoding-in-http10',
            );
            expect(notes).toEqual([]);
          }
        },
      ),
      { numRuns: 250, seed: 42 },
    );
  });

  it('requests: method, target, fields and body come back exactly', () => {
    const requestArb = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      target: fc.stringMatching(/^\/[A-Za-z0-9._~%!$&'()*+,;=:@/?-]{0,30}$/),
      fields,
      body: fc.uint8Array({ maxLength: 100 }),
      chunked: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(requestArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 16 }),
        (requests, rawCuts) => {
          const parts: Uint8Array[] = [];
          for (const request of requests) {
            let head = `${request.method} ${request.target} HTTP/1.1\r\nHost: example.com\r\n`;
            for (const [name, value] of request.fields) head += `${name}: ${value}\r\n`;
            head += request.chunked
              ? 'Transfer-Encoding: chunked\r\n\r\n'
              : `Content-Length: ${request.body.length}\r\n\r\n`;
            parts.push(latin1(head));
            if (request.chunked) {
              if (request.body.length > 0)
                parts.push(latin1(`${request.body.length.toString(16)}\r\n`), request.body, latin1('\r\n'));
              parts.push(latin1('0\r\n\r\n'));
            } else parts.push(request.body);
          }
          const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let at = 0;
          for (const part of parts) {
            bytes.set(part, at);
            at += part.length;
          }
          const result = parseRequests(splitAt(bytes, cutsFor(bytes, rawCuts)));
          expect(result.diagnostics).toEqual([]);
          expect(result.messages.map((m) => [m.head.method, m.head.target, m.diagnostics])).toEqual(
            requests.map((r) => [r.method, r.target, []]),
          );
          for (const [i, request] of requests.entries()) {
            expect(result.messages[i]?.body).toEqual(request.body);
            expect(
              result.messages[i]?.head.fields.slice(1, 1 + request.fields.length).map((f) => [f.name, f.value]),
            ).toEqual(request.fields);
          }
        },
      ),
      { numRuns: 200, seed: 43 },
    );
  });
});

type Mutation =
  | { at: number; kind: 'insert'; bytes: Uint8Array }
  | { at: number; kind: 'delete'; count: number }
  | { at: number; kind: 'flip'; value: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    at: fc.nat(),
    kind: fc.constant('insert' as const),
    bytes: fc.oneof(fc.constantFrom(...fragments), fc.uint8Array({ minLength: 1, maxLength: 4 })),
  }),
  fc.record({ at: fc.nat(), kind: fc.constant('delete' as const), count: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ at: fc.nat(), kind: fc.constant('flip' as const), value: fc.integer({ min: 0, max: 255 }) }),
);

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = [...bytes];
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.kind === 'insert') out = [...out.slice(0, at), ...m.bytes, ...out.slice(at)];
    else if (m.kind === 'delete') out.splice(at, m.count);
    else if (at < out.length) out[at] = m.value;
  }
  return Uint8Array.from(out);
}

describe('fuzzing with valid messages, mutated', () => {
  it('responses and requests: no exception, bounded buffering, same events for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(responseArb, { minLength: 1, maxLength: 3 }),
        fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        limitsArb,
        (responses, mutations, rawCuts, limits) => {
          const valid = responses.map((r, i) => serialise(r, i === responses.length - 1).bytes);
          const bytes = mutate(Uint8Array.from(valid.flatMap((b) => [...b])), mutations);
          const cuts = cutsFor(bytes, rawCuts);
          const options = { requests: responses.map((r) => r.method), ...limits };
          const whole = drive(createResponseParser(options), [bytes], limits);
          const split = drive(createResponseParser(options), splitAt(bytes, cuts), limits);
          expect(canonical(split)).toBe(canonical(whole));
          checkInvariants(whole, bytes.length, limits);
          const asRequests = drive(createRequestParser(limits), [bytes], limits);
          expect(canonical(drive(createRequestParser(limits), splitAt(bytes, cuts), limits))).toBe(
            canonical(asRequests),
          );
        },
      ),
      { numRuns: 400, seed: 99 },
    );
  });
});
