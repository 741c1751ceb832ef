import { describe, expect, it } from 'vitest';
import { collectMessages, parseRequests, parseResponses } from '../../../../../shared/http/parse/collect';
import { diagnosticCodes, hasErrors } from '../../../../../shared/http/compose/diagnostics';
import type { ResponseHead } from '../../../../../shared/http/parse/events';
import { describeFraming } from '../../../../../shared/http/parse/framing';
import { createResponseParser } from '../../../../../shared/http/parse/responseParser';
import { canonical, everyChunkSize, latin1, randomCuts, runResponses, splitAt, text } from './harness';
import { responseFixtures } from './responseFixtures';

describe('response parser fixtures', () => {
  for (const fixture of responseFixtures) {
    const bytes = latin1(fixture.input);
    const options = {
      requests: fixture.requests,
      closed: fixture.closed ?? true,
      ...(fixture.maxHeadBytes === undefined ? {} : { maxHeadBytes: fixture.maxHeadBytes }),
      ...(fixture.maxBodyBytes === undefined ? {} : { maxBodyBytes: fixture.maxBodyBytes }),
    };

    it(fixture.name, () => {
      fixture.check(parseResponses(bytes, options));
    });

    it(`${fixture.name}: same events for every chunk size and random cuts`, () => {
      const whole = canonical(runResponses([bytes], options));
      for (let size = 1; size <= Math.max(1, bytes.length); size++) {
        const events = runResponses(everyChunkSize(bytes, size), options);
        if (canonical(events) !== whole) expect.fail(`chunk size ${size} differs`);
      }
      for (let seed = 1; seed <= 30; seed++) {
        const cuts = randomCuts(bytes, seed);
        const events = runResponses(splitAt(bytes, cuts), options);
        if (canonical(events) !== whole) expect.fail(`cuts ${cuts.join(',')} differ`);
      }
      // And with an empty chunk between every byte.
      const withEmpty = everyChunkSize(bytes, 1).flatMap((chunk) => [chunk, new Uint8Array(0)]);
      expect(canonical(runResponses(withEmpty, options))).toBe(whole);
    });
  }
});

describe('createResponseParser', () => {
  it('is idle until told about a request, then parses what follows', () => {
    const parser = createResponseParser();
    expect(parser.state).toBe('idle');
    const early = parser.push(latin1('junk'));
    expect(early.map((e) => e.type)).toEqual(['diagnostic', 'unparsed']);
    expect(parser.expectResponse('GET')).toBe(0);
    const events = parser.push(latin1('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    expect(events.map((e) => e.type)).toEqual(['head', 'end']);
    expect(parser.outstanding).toBe(0);
    expect(parser.state).toBe('idle');
    expect(parser.offset).toBe(42);
  });

  it('a new idle run after a response gets its own note', () => {
    const parser = createResponseParser({ method: 'GET' });
    const events = [...parser.push(latin1('HTTP/1.1 204 No Content\r\n\r\nx')), ...parser.push(latin1('y'))];
    parser.expectResponse('GET');
    events.push(...parser.push(latin1('HTTP/1.1 204 No Content\r\n\r\nz')), ...parser.end());
    const result = collectMessages<ResponseHead>(events as never);
    expect(result.messages).toHaveLength(2);
    expect(result.diagnostics.map((d) => `${d.code}@${d.offset}`)).toEqual(['idle-bytes@27', 'idle-bytes@56']);
  });

  it('keeps only the unfinished head inside: bodies are views of the pushed chunks', () => {
    const parser = createResponseParser({ method: 'GET' });
    parser.push(latin1('HTTP/1.1 200 OK\r\nContent-Le'));
    expect(parser.bufferedBytes).toBe(27);
    const chunk = latin1('ngth: 4\r\n\r\nbody');
    const events = parser.push(chunk);
    expect(parser.bufferedBytes).toBe(0);
    const body = events.find((e) => e.type === 'body');
    expect(body?.type === 'body' && body.data?.buffer).toBe(chunk.buffer);
  });

  it('ignores pushes after end()', () => {
    const parser = createResponseParser({ method: 'GET' });
    parser.end();
    expect(parser.push(latin1('HTTP/1.1 200 OK\r\n\r\n'))).toEqual([]);
    expect(parser.end()).toEqual([]);
  });

  it('parses a large body in big chunks and keeps the event count proportional to the chunks', () => {
    const body = new Uint8Array(4 * 1024 * 1024).fill(0x61);
    const head = latin1(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
    const parser = createResponseParser({ method: 'GET' });
    const events = parser.push(head);
    let bodyBytes = 0;
    for (let i = 0; i < body.length; i += 65536) {
      const out = parser.push(body.subarray(i, i + 65536));
      expect(out.length).toBeLessThanOrEqual(2);
      for (const e of out) if (e.type === 'body') bodyBytes += e.length;
      events.push(...out);
    }
    expect(bodyBytes).toBe(body.length);
    expect(events[events.length - 1]).toMatchObject({ type: 'end', complete: true, bodyLength: body.length });
  });

  it('a one-byte-at-a-time 60 KiB head stays linear (no rescanning)', () => {
    const head = latin1(
      `HTTP/1.1 200 OK\r\n${'X-Filler: 0123456789abcdef0123456789abcdef\r\n'.repeat(1400)}Content-Length: 0\r\n\r\n`,
    );
    const parser = createResponseParser({ method: 'GET' });
    const started = performance.now();
    const events = [];
    for (let i = 0; i < head.length; i++) events.push(...parser.push(head.subarray(i, i + 1)));
    expect(events.map((e) => e.type)).toEqual(['head', 'end']);
    // Generous bound: a quadratic scan of 60 KiB would take seconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('describes body bytes by stream offset so the byte view can highlight them', () => {
    const input = latin1('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
    const { events } = parseResponses(input, { method: 'GET' });
    const body = events.find((e) => e.type === 'body');
    expect(body).toMatchObject({ offset: 50, length: 3 });
    expect(text(input.subarray(50, 53))).toBe('abc');
  });
});

describe('framing and diagnostics helpers', () => {
  it('describes each framing for the viewer', () => {
    const heads = parseResponses(
      latin1(
        'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\nHTTP/1.0 200 OK\r\n\r\n',
      ),
      { requests: ['GET', 'GET', 'GET', 'GET'] },
    ).messages.map((m) => describeFraming(m.head.framing));
    expect(heads).toEqual([
      'Content-Length: 1 byte',
      'chunked (Transfer-Encoding: chunked)',
      'no body (304 Not Modified)',
      'until the connection closes',
    ]);
  });

  it('hasErrors tells a server whether a request deserves 400', () => {
    const good = parseRequests(latin1('GET / HTTP/1.1\r\nHost: h\r\n\r\n')).messages[0];
    const bad = parseRequests(latin1('GET / HTTP/1.1\r\nHost : h\r\n\r\n')).messages[0];
    expect(hasErrors(good?.diagnostics ?? [])).toBe(false);
    expect(hasErrors(bad?.diagnostics ?? [])).toBe(true);
    expect(diagnosticCodes).toContain('idle-bytes');
  });
});
