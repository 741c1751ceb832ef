import { describe, expect, it } from 'vitest';
import {
  exactReply,
  makeCheck,
  makeConversationFile,
  makeStep,
  parseConversationFile,
  serializeConversationFile,
} from '../../../../shared/conversation/index';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('building a conversation from what a tool sent and received', () => {
  it('saves the target as {{host}}:{{port}} with the values used as defaults, and reads back', () => {
    const file = makeConversationFile({
      tool: 'smtp',
      host: '127.0.0.1',
      port: 2525,
      title: 'Saved from the SMTP tool',
      steps: [
        makeStep(undefined, [makeCheck({ kind: 'code', pattern: '220' })]),
        makeStep(bytes('HELO crepes.fr\r\n'), [makeCheck({ kind: 'code', pattern: '250' }, { points: 2 })]),
        makeStep(bytes('NOOP\r\n'), [exactReply(bytes('250 OK\r\n'))]),
      ],
    });
    const text = serializeConversationFile(file);
    expect(text).toBe(
      [
        'var host = 127.0.0.1',
        'var port = 2525',
        '',
        'conversation smtp "Saved from the SMTP tool"',
        'target {{host}}:{{port}}',
        '',
        'expect code 220',
        '',
        'send "HELO crepes.fr\\r\\n"',
        'expect code 250 points 2',
        '',
        'send "NOOP\\r\\n"',
        'expect exact "250 OK\\r\\n"',
        '',
      ].join('\n'),
    );
    const back = parseConversationFile(text);
    expect(back.ok).toBe(true);
  });
});
