import { describe, expect, it } from 'vitest';
import { toVisibleString } from '../../../../shared/bytes';
import {
  addStep,
  authLoginAnswers,
  authPlainAnswer,
  buildStep,
  commandBytes,
  createStep,
  decodeAuthText,
  moveStep,
  nextStepId,
  removeStep,
  type SmtpStep,
  smtpStep,
  smtpStepKinds,
  smtpStepList,
  textbookSteps,
  updateStep,
} from '../../../../shared/smtp';

const wire = (step: SmtpStep) => toVisibleString(commandBytes(step));
const step = (fields: Partial<SmtpStep> & Pick<SmtpStep, 'kind'>): SmtpStep => ({ id: 's', text: '', ...fields });

describe('the step list', () => {
  it('starts from the textbook conversation', () => {
    const steps = textbookSteps();
    expect(steps.map((s) => [s.id, s.kind, s.text])).toEqual([
      ['step-1', 'helo', 'crepes.fr'],
      ['step-2', 'mail', 'alice@crepes.fr'],
      ['step-3', 'rcpt', 'bob@hamburger.edu'],
      ['step-4', 'data', ''],
      ['step-5', 'message', 'Do you like ketchup?\nHow about pickles?'],
      ['step-6', 'quit', ''],
    ]);
    expect(steps.map(wire)).toEqual([
      'HELO crepes.fr␍␊',
      'MAIL FROM:<alice@crepes.fr>␍␊',
      'RCPT TO:<bob@hamburger.edu>␍␊',
      'DATA␍␊',
      'Do you like ketchup?␍␊How about pickles?␍␊.␍␊',
      'QUIT␍␊',
    ]);
  });

  it('adds, edits, reorders and removes steps without touching the original list', () => {
    const steps = textbookSteps();
    const rcpt = createStep('rcpt', steps, { text: 'carol@hamburger.edu' });
    expect(rcpt.id).toBe('step-7');
    const added = addStep(steps, rcpt, 3);
    expect(added.map((s) => s.kind)).toEqual(['helo', 'mail', 'rcpt', 'rcpt', 'data', 'message', 'quit']);
    expect(steps).toHaveLength(6);
    const edited = updateStep(added, 'step-1', { text: 'crepes.example' });
    expect(edited[0]?.text).toBe('crepes.example');
    expect(added[0]?.text).toBe('crepes.fr');
    // An edit cannot change what identifies the step.
    expect(updateStep(added, 'step-1', { id: 'x', kind: 'quit' } as Partial<SmtpStep>)[0]).toMatchObject({
      id: 'step-1',
      kind: 'helo',
    });
    expect(moveStep(added, 'step-3', 0).map((s) => s.id)).toEqual([
      'step-3',
      'step-1',
      'step-2',
      'step-7',
      'step-4',
      'step-5',
      'step-6',
    ]);
    expect(moveStep(added, 'step-1', 99).at(-1)?.id).toBe('step-1');
    expect(moveStep(added, 'nope', 0)).toEqual(added);
    expect(removeStep(added, 'step-7')).toEqual(steps);
    expect(
      nextStepId([
        { id: 'step-41', kind: 'quit', text: '' },
        { id: 'mine', kind: 'quit', text: '' },
      ]),
    ).toBe('step-42');
  });

  it('is plain data: validated by its schema, survives JSON', () => {
    const steps = [...textbookSteps(), createStep('auth-login', textbookSteps())];
    expect(smtpStepList.parse(JSON.parse(JSON.stringify(steps)))).toEqual(steps);
    expect(smtpStepList.safeParse([...steps, steps[0]]).success).toBe(false);
    expect(smtpStep.safeParse({ id: 'a', kind: 'telnet', text: '' }).success).toBe(false);
    expect(smtpStep.safeParse({ id: 'a', kind: 'quit', text: '', extra: 1 }).success).toBe(false);
    for (const kind of smtpStepKinds) expect(buildStep(createStep(kind, [])).ok).toBe(true);
  });
});

describe('buildStep', () => {
  it('writes each command exactly, CRLF included', () => {
    expect(wire(step({ kind: 'ehlo', text: ' crepes.fr ' }))).toBe('EHLO crepes.fr␍␊');
    expect(wire(step({ kind: 'mail', text: '' }))).toBe('MAIL FROM:<>␍␊');
    expect(wire(step({ kind: 'mail', text: 'alice@crepes.fr SIZE=1200  BODY=8BITMIME' }))).toBe(
      'MAIL FROM:<alice@crepes.fr> SIZE=1200  BODY=8BITMIME␍␊',
    );
    expect(wire(step({ kind: 'rcpt', text: '<bob@hamburger.edu> NOTIFY=NEVER' }))).toBe(
      'RCPT TO:<bob@hamburger.edu> NOTIFY=NEVER␍␊',
    );
    for (const kind of ['data', 'quit', 'rset', 'starttls'] as const) {
      expect(wire(step({ kind, text: 'ignored' }))).toBe(`${kind.toUpperCase()}␍␊`);
    }
    expect(wire(step({ kind: 'noop' }))).toBe('NOOP␍␊');
    expect(wire(step({ kind: 'help', text: 'MAIL' }))).toBe('HELP MAIL␍␊');
    expect(wire(step({ kind: 'vrfy', text: 'bob' }))).toBe('VRFY bob␍␊');
    expect(commandBytes(step({ kind: 'quit' }))).toEqual(Uint8Array.of(0x51, 0x55, 0x49, 0x54, 0x0d, 0x0a));
  });

  it('warns about what the server will likely refuse, and sends it anyway', () => {
    const noDomain = buildStep(step({ kind: 'helo', text: '' }));
    expect(noDomain.ok && noDomain.warnings).toEqual([
      'HELO needs your domain name (like crepes.fr): expect 501 without it.',
    ]);
    expect(wire(step({ kind: 'helo', text: '' }))).toBe('HELO␍␊');
    const injected = buildStep(step({ kind: 'helo', text: 'crepes.fr\r\nQUIT' }));
    expect(injected.ok && injected.warnings[0]).toContain('more than one line');
    const noAt = buildStep(step({ kind: 'rcpt', text: 'bob' }));
    expect(noAt.ok && noAt.warnings).toEqual(['“bob” has no @domain: an address looks like bob@hamburger.edu.']);
    const postmaster = buildStep(step({ kind: 'rcpt', text: 'Postmaster' }));
    expect(postmaster.ok && postmaster.warnings).toEqual([]);
    const unclosed = buildStep(step({ kind: 'mail', text: '<alice@crepes.fr' }));
    expect(unclosed.ok && unclosed.warnings).toEqual(['The address has no closing “>”: expect 501.']);
    const utf8 = buildStep(step({ kind: 'mail', text: 'josé@crepes.fr' }));
    expect(utf8.ok && utf8.warnings[0]).toContain('SMTPUTF8');
    const long = buildStep(step({ kind: 'vrfy', text: 'x'.repeat(600) }));
    expect(long.ok && long.warnings[0]).toContain('607 octets');
  });

  it('encodes AUTH PLAIN and shows what the base64 hides', () => {
    const built = buildStep(step({ kind: 'auth-plain', text: 'alice', password: 'secret' }));
    if (!built.ok) throw new Error(built.message);
    expect(built.lines).toEqual([
      {
        bytes: new TextEncoder().encode('AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n'),
        role: 'command',
        decoded: '␀alice␀secret',
        secret: true,
      },
    ]);
    expect(authPlainAnswer('alice', 'secret')).toMatchObject({
      base64: 'AGFsaWNlAHNlY3JldA==',
      decodedVisible: '␀alice␀secret',
    });
    expect(authPlainAnswer('bob', 'pw', 'admin').decodedVisible).toBe('admin␀bob␀pw');
    expect(decodeAuthText('AGFsaWNlAHNlY3JldA==')?.decoded).toEqual(authPlainAnswer('alice', 'secret').decoded);
    expect(decodeAuthText('%%')).toBeNull();
  });

  it('encodes AUTH LOGIN as three lines, each waiting for the 334 before the next', () => {
    const built = buildStep(step({ kind: 'auth-login', text: 'alice', password: 'secret' }));
    if (!built.ok) throw new Error(built.message);
    expect(
      built.lines.map((line) => [toVisibleString(line.bytes), line.role, line.decoded, line.secret, line.expect]),
    ).toEqual([
      ['AUTH LOGIN␍␊', 'command', undefined, undefined, 334],
      ['YWxpY2U=␍␊', 'auth-answer', 'alice', undefined, 334],
      ['c2VjcmV0␍␊', 'auth-answer', 'secret', true, undefined],
    ]);
    expect(toVisibleString(built.bytes)).toBe('AUTH LOGIN␍␊YWxpY2U=␍␊c2VjcmV0␍␊');
    expect(authLoginAnswers('ü', '').map((a) => a.base64)).toEqual(['w7w=', '']);
    const empty = buildStep(step({ kind: 'auth-login', text: '' }));
    expect(empty.ok && empty.warnings[0]).toContain('empty');
  });

  it('sends the message with CRLF, dot-stuffing and the final dot, and can be told not to', () => {
    const message = step({ kind: 'message', text: 'Subject: x\n\n.hidden\n.\nend' });
    const built = buildStep(message);
    if (!built.ok) throw new Error(built.message);
    expect(toVisibleString(built.bytes)).toBe('Subject: x␍␊␍␊..hidden␍␊..␍␊end␍␊.␍␊');
    expect(built.stuffing?.dotLines.map((line) => line.line)).toEqual([3, 4]);
    expect(built.warnings).toEqual([]);
    const raw = buildStep({ ...message, keepLineEndings: true, dotStuffing: false, finalDot: false });
    if (!raw.ok) throw new Error(raw.message);
    expect(toVisibleString(raw.bytes)).toBe('Subject: x␊␊.hidden␊.␊end');
    expect(raw.warnings).toHaveLength(3);
  });

  it('sends a free line as typed, with escapes if asked, and reports bad escapes without throwing', () => {
    expect(wire(step({ kind: 'free', text: 'MAIL FROM: <alice@crepes.fr>' }))).toBe('MAIL FROM: <alice@crepes.fr>␍␊');
    expect(wire(step({ kind: 'free', text: 'NOOP\\n', inputMode: 'escapes', lineEnding: 'none' }))).toBe('NOOP␊');
    const pipelined = buildStep(step({ kind: 'free', text: 'MAIL FROM:<a@b.c>\nRCPT TO:<d@e.f>' }));
    if (!pipelined.ok) throw new Error(pipelined.message);
    expect(toVisibleString(pipelined.bytes)).toBe('MAIL FROM:<a@b.c>␍␊RCPT TO:<d@e.f>␍␊');
    expect(pipelined.warnings[0]).toContain('2 lines at once');
    const lf = buildStep(step({ kind: 'free', text: 'QUIT', lineEnding: 'lf' }));
    expect(lf.ok && lf.warnings).toEqual(['The line ends with a bare LF instead of CRLF.']);
    const bad = buildStep(step({ kind: 'free', text: 'NOOP \\q', inputMode: 'escapes' }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error?.index).toBe(5);
    expect(() => commandBytes(step({ kind: 'free', text: '\\q', inputMode: 'escapes' }))).toThrow(/not an escape/);
  });
});
