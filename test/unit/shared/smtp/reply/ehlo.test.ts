import { describe, expect, it } from 'vitest';
import { parseEhloReply, parseReplies } from '../../../../../shared/smtp';

const ehloReply = [
  '250-hamburger.edu Hello crepes.fr [127.0.0.1]',
  '250-SIZE 10240000',
  '250-8BITMIME',
  '250-PIPELINING',
  '250-STARTTLS',
  '250-AUTH PLAIN LOGIN CRAM-MD5',
  '250-AUTH=LOGIN XOAUTH2',
  '250-smtputf8',
  '250-ENHANCEDSTATUSCODES',
  '250-CHUNKING',
  '250-DSN',
  '250-HELP',
  '250-XCLIENT NAME ADDR',
  '250 FUTURE-THING 1',
].join('\r\n');

describe('parseEhloReply', () => {
  const [reply] = parseReplies(new TextEncoder().encode(`${ehloReply}\r\n`));
  const info = parseEhloReply(reply?.lines ?? []);

  it('reads the greeting line and every capability, with what it means', () => {
    expect(info.domain).toBe('hamburger.edu');
    expect(info.greeting).toBe('Hello crepes.fr [127.0.0.1]');
    expect(info.capabilities.map((c) => c.keyword)).toEqual([
      'SIZE',
      '8BITMIME',
      'PIPELINING',
      'STARTTLS',
      'AUTH',
      'AUTH',
      'SMTPUTF8',
      'ENHANCEDSTATUSCODES',
      'CHUNKING',
      'DSN',
      'HELP',
      'XCLIENT',
      'FUTURE-THING',
    ]);
    for (const capability of info.capabilities) expect(capability.explanation).toMatch(/^[A-Z].{15,}\.$/);
    expect(info.capabilities.filter((c) => !c.known).map((c) => c.keyword)).toEqual(['XCLIENT', 'FUTURE-THING']);
    expect(info.capabilities[0]).toMatchObject({ params: ['10240000'], line: 'SIZE 10240000', lineIndex: 1 });
    expect(info.capabilities[0]?.explanation).toContain('10,240,000 bytes (9.8 MiB)');
    expect(info.capabilities[4]?.explanation).toContain('PLAIN (user and password in one base64 line)');
    expect(info.capabilities[4]?.explanation).toContain('base64 hides nothing');
  });

  it('sums up what the client needs to know', () => {
    expect(info).toMatchObject({
      maxSize: 10240000,
      authMechanisms: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'],
      eightBitMime: true,
      pipelining: true,
      startTls: true,
      smtpUtf8: true,
      enhancedStatusCodes: true,
      chunking: true,
      dsn: true,
    });
  });

  it('copes with a bare greeting, SIZE without a limit, and nonsense', () => {
    const bare = parseEhloReply([{ text: 'mx.example' }]);
    expect(bare).toMatchObject({
      domain: 'mx.example',
      greeting: '',
      capabilities: [],
      maxSize: null,
      eightBitMime: false,
    });
    const noLimit = parseEhloReply([{ text: 'x' }, { text: 'SIZE' }, { text: '' }, { text: 'size 0' }]);
    expect(noLimit.maxSize).toBe(0);
    expect(noLimit.capabilities).toHaveLength(2);
    expect(noLimit.capabilities[0]?.explanation).toContain('no fixed limit');
    const nonsense = parseEhloReply([{ text: 'x' }, { text: 'SIZE lots' }, { text: 'AUTH' }]);
    expect(nonsense.maxSize).toBeNull();
    const small = parseEhloReply([{ text: 'x' }, { text: 'SIZE 1000' }]);
    expect(small.capabilities[0]?.explanation).toMatch(/^Messages up to 1,000 bytes are accepted;/);
    expect(nonsense.capabilities[0]?.explanation).toContain('not "lots"');
    expect(nonsense.capabilities[1]?.explanation).toContain('no mechanism');
    expect(parseEhloReply([])).toMatchObject({ domain: '', capabilities: [] });
  });
});
