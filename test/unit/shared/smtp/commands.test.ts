import { describe, expect, it } from 'vitest';
import { isWellFormedCommand } from '../../../../shared/smtp/commands';

describe('isWellFormedCommand', () => {
  it('takes the textbook lines and their usual variants as well formed', () => {
    for (const line of [
      'HELO crepes.fr',
      'EHLO crepes.fr\r\n',
      'MAIL FROM:<alice@crepes.fr>',
      'MAIL FROM:<>',
      'mail from: <alice@crepes.fr> SIZE=100',
      'RCPT TO:<bob@hamburger.edu>',
      'DATA',
      'QUIT',
      'AUTH PLAIN AGFsaWNlAHNlY3JldA==',
      'NOOP',
    ])
      expect(isWellFormedCommand(line), line).toBe(true);
  });

  it('finds typos, missing arguments and broken addresses', () => {
    for (const line of [
      'RCTP TO:<bob@hamburger.edu>',
      'HELO',
      'MAIL FROM:alice@crepes.fr',
      'RCPT TO:<bob>',
      'RCPT TO:<>',
      'DATA now',
      'Subject: hello',
      '',
    ])
      expect(isWellFormedCommand(line), line).toBe(false);
  });
});
