import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWebArgs, UsageError } from '../../../electron/cli/web';

describe('npm run web flags', () => {
  it('defaults to a free port on 127.0.0.1 and opening a browser', () => {
    expect(parseWebArgs([])).toEqual({ port: 0, host: '127.0.0.1', open: true, rendererDir: undefined, help: false });
  });

  it('reads --port, --host, --no-open and --renderer-dir, with a space or =', () => {
    expect(parseWebArgs(['--port', '8080', '--no-open', '--host', '::1', '--renderer-dir', 'x'])).toEqual({
      port: 8080,
      host: '::1',
      open: false,
      rendererDir: resolve('x'),
      help: false,
    });
    expect(parseWebArgs(['--port=0', '--host=localhost'])).toMatchObject({ port: 0, host: 'localhost' });
    expect(parseWebArgs(['--help']).help).toBe(true);
  });

  it.each([
    [['--port'], /--port needs a value/],
    [['--port', '--no-open'], /--port needs a value/],
    [['--port', 'abc'], /--port must be a whole number from 0 to 65535.*"abc"/],
    [['--port', '65536'], /--port must be a whole number/],
    [['--port', '-1'], /--port must be a whole number/],
    [['--port', '80.5'], /--port must be a whole number/],
    [['--port='], /--port must be a whole number/],
    [['--host='], /--host needs a value/],
    [['--no-open=yes'], /--no-open takes no value/],
    [['--verbose'], /unknown option "--verbose"/],
    [['8080'], /unknown option "8080"/],
  ])('refuses %j with a clear message', (argv, message) => {
    let thrown: unknown;
    try {
      parseWebArgs(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).toMatch(/--help/);
  });
});
