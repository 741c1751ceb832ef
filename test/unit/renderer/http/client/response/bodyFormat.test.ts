import { describe, expect, it } from 'vitest';
import {
  blockEnd,
  bodyKind,
  chooseCharset,
  contentEncodings,
  decodeText,
  parseContentType,
  prettyJson,
  splitBlocks,
} from '../../../../../../renderer/http/client/response/bodyFormat';
import { BodyPages } from '../../../../../../renderer/http/client/response/bodyPages';
import { parseResponses } from '../../../../../../shared/http/parse/collect';

/** The response viewer's pure body helpers: charset, media kinds, JSON, blocks, and the slice cache. */

const encode = (text: string) => new TextEncoder().encode(text);

describe('reading Content-Type', () => {
  it('finds the media type and a quoted or bare charset, whatever the case and spacing', () => {
    expect(parseContentType('text/html; charset=ISO-8859-1')).toEqual({
      mediaType: 'text/html',
      charset: 'ISO-8859-1',
    });
    expect(parseContentType('Text/Plain ;Charset="utf-8"')).toEqual({ mediaType: 'text/plain', charset: 'utf-8' });
    expect(parseContentType('application/json')).toEqual({ mediaType: 'application/json', charset: undefined });
    expect(parseContentType(undefined)).toEqual({ mediaType: '', charset: undefined });
  });

  it('picks the view that suits the media type', () => {
    expect(bodyKind('text/html')).toBe('html');
    expect(bodyKind('application/problem+json')).toBe('json');
    expect(bodyKind('image/png')).toBe('image');
    expect(bodyKind('text/css')).toBe('text');
    expect(bodyKind('')).toBe('text');
    expect(bodyKind('application/octet-stream')).toBe('binary');
  });

  it('lists the content codings in order, without identity', () => {
    const head = parseResponses(
      encode(
        'HTTP/1.1 200 OK\r\nContent-Encoding: identity, GZIP\r\nContent-Encoding: br\r\nContent-Length: 0\r\n\r\n',
      ),
      {
        method: 'GET',
      },
    ).messages[0]?.head;
    expect(contentEncodings(head?.fields ?? [])).toEqual(['gzip', 'br']);
  });
});

describe('text in its charset', () => {
  it('decodes Latin-1 and Shift_JIS bytes with the charset the server named', () => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
    const choice = chooseCharset(parseContentType('text/plain; charset=iso-8859-1'));
    expect(choice.note).toBeUndefined();
    expect(decodeText(latin1, choice.charset)).toBe('café');
    expect(
      decodeText(
        new Uint8Array([0x82, 0xa0]),
        chooseCharset(parseContentType('text/plain; charset=Shift_JIS')).charset,
      ),
    ).toBe('あ');
  });

  it('says when it falls back to UTF-8: no charset, or one the browser does not know', () => {
    expect(chooseCharset(parseContentType('text/plain'))).toEqual({
      charset: 'utf-8',
      note: 'No charset in Content-Type: shown as UTF-8.',
    });
    expect(chooseCharset(parseContentType('text/plain; charset=klingon-8')).note).toMatch(
      /Unknown charset "klingon-8"/,
    );
    // JSON is UTF-8 by definition, whatever the header says.
    expect(chooseCharset(parseContentType('application/json'))).toEqual({ charset: 'utf-8', note: undefined });
  });
});

describe('pretty JSON', () => {
  it('indents valid JSON by two spaces', () => {
    expect(prettyJson('{"a":[1,{"b":null}],"c":"ü"}')).toEqual({
      ok: true,
      text: '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "c": "ü"\n}',
    });
  });

  it('says why a body is not JSON', () => {
    const result = prettyJson('{"a": 1,}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^Not valid JSON: /);
  });
});

describe('blocks for the virtualised text views', () => {
  it('end just after a line feed, cover every byte once and never split a UTF-8 character', () => {
    const text = `${'line one\r\n'.repeat(50)}${'ü'.repeat(3000)}\nend`;
    const bytes = encode(text);
    const blocks = splitBlocks(bytes, 256);
    expect(blocks[0]?.start).toBe(0);
    expect(blocks.at(-1)?.end).toBe(bytes.length);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]?.start).toBe(blocks[i - 1]?.end);
    const decoded = blocks.map((b) => new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(b.start, b.end)));
    expect(decoded.join('')).toBe(text);
    expect(decoded[0]?.endsWith('\r\n')).toBe(true);
  });

  it('cuts a long line without a line feed at a character boundary', () => {
    const bytes = encode('é'.repeat(100));
    expect(blockEnd(bytes, 0, 51, 10)).toBe(50);
  });
});

describe('body slices', () => {
  it('reads a range through several http.body calls, caches it, and forgets an exchange', async () => {
    const body = Uint8Array.from({ length: 10_000 }, (_, i) => i % 251);
    const calls: Array<[number, number]> = [];
    const pages = new BodyPages(
      async (_id, offset, length) => {
        calls.push([offset, length]);
        return body.subarray(offset, Math.min(body.length, offset + length));
      },
      8192,
      4096,
    );
    const first = await pages.read('x1', 0, 6000, false);
    expect(first).toEqual(body.subarray(0, 6000));
    expect(calls).toEqual([
      [0, 4096],
      [4096, 1904],
    ]);
    await pages.read('x1', 0, 6000, false);
    expect(calls).toHaveLength(2);
    // The end of the body: fewer bytes than asked, not cached (it may still grow).
    expect((await pages.read('x1', 8000, 4000, false)).length).toBe(2000);
    await pages.read('x1', 8000, 4000, false);
    expect(calls).toHaveLength(4);
    pages.forget('x1');
    await pages.read('x1', 0, 6000, false);
    expect(calls).toHaveLength(6);
  });
});
