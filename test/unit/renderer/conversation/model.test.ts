import { describe, expect, it } from 'vitest';
import { serializeConversationFile } from '../../../../shared/conversation/index';
import { makeConversationFile, makeStep } from '../../../../shared/conversation/index';
import type { TranscriptEntry } from '../../../../shared/net/transcript';
import { openText, stepsFromTranscript } from '../../../../renderer/conversation/model';

const bytes = (text: string) => new TextEncoder().encode(text);
const entry = (kind: TranscriptEntry['kind'], data?: string): TranscriptEntry => ({
  at: 0,
  mono: 0,
  sessionId: 's1',
  protocol: 'tcp',
  kind,
  ...(data === undefined ? {} : { data: bytes(data) }),
});

describe('steps from a transcript', () => {
  it('makes each send a step, its replies one exact check, and the server’s FIN a closed check', () => {
    const steps = stepsFromTranscript([
      entry('open'),
      entry('receive', 'banner\r\n'),
      entry('send', 'hello\n'),
      entry('receive', 'HEL'),
      entry('receive', 'LO\n'),
      entry('peerEnded'),
    ]);
    expect(steps.map((step) => step.sent && new TextDecoder().decode(step.sent))).toEqual([undefined, 'hello\n']);
    expect(steps[1]?.checks.map((c) => c.check.text)).toEqual(['exact "HELLO\\n"', 'closed']);
  });

  it('keeps only the last connection', () => {
    const steps = stepsFromTranscript([entry('open'), entry('send', 'old'), entry('open'), entry('send', 'new')]);
    expect(steps).toHaveLength(1);
  });
});

describe('opening a file', () => {
  it('gives back what was saved, and names line and column for bad text', () => {
    const file = makeConversationFile({
      tool: 'tcp',
      host: '127.0.0.1',
      port: 12000,
      steps: [makeStep(bytes('a\r\n'))],
    });
    const opened = openText('x.conv', serializeConversationFile(file));
    expect(opened.ok && opened.opened.file.conversations[0]?.tool).toBe('tcp');
    const bad = openText('bad.conv', 'conversation nope\n');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^bad\.conv:1:\d+: /);
  });
});
