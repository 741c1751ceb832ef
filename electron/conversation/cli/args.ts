import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export const usage = `Usage:
  protocol-playground run FILE... [--var NAME=VALUE]... [--timeout S] [--jobs N]
                      [--report-junit F] [--report-tap F] [--report-json F] [--report-gradescope F]
                      [--spawn "CMD"] [--spawn-wait S]
  protocol-playground export --lang python|java|shell FILE [--var NAME=VALUE]...
  protocol-playground --version | --help

Exit codes: 0 all checks passed, 1 usage error, 2 a file does not parse, 3 runtime error
(refused, unresolved, no reply at all, a spawned program that died, Ctrl+C), 4 a check failed.
File format: docs/conversations.md`;

export interface RunArgs {
  files: string[];
  variables: Record<string, string>;
  timeoutMs: number | undefined;
  jobs: number;
  reports: { junit?: string; tap?: string; json?: string; gradescope?: string };
  spawn: string | undefined;
  spawnWaitMs: number;
}

export interface ExportArgs {
  file: string;
  lang: 'python' | 'java' | 'shell';
  variables: Record<string, string>;
}

function variables(raw: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of raw ?? []) {
    const equals = item.indexOf('=');
    const name = equals > 0 ? item.slice(0, equals) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
      throw new UsageError(`--var expects NAME=VALUE (e.g. --var port=6789), not ${JSON.stringify(item)}`);
    }
    out[name] = item.slice(equals + 1);
  }
  return out;
}

function seconds(raw: string | undefined, option: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 3600) {
    throw new UsageError(`${option} expects seconds from 0.001 to 3600, not ${JSON.stringify(raw)}`);
  }
  return Math.round(value * 1000);
}

export function parseRunArgs(argv: string[]): RunArgs {
  const { values, positionals } = parse(argv, {
    var: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    jobs: { type: 'string' },
    'report-junit': { type: 'string' },
    'report-tap': { type: 'string' },
    'report-json': { type: 'string' },
    'report-gradescope': { type: 'string' },
    spawn: { type: 'string' },
    'spawn-wait': { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError('run needs at least one conversation file');
  const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) {
    throw new UsageError(`--jobs expects a whole number from 1 to 64, not ${JSON.stringify(values.jobs)}`);
  }
  return {
    files: positionals,
    variables: variables(values.var as string[] | undefined),
    timeoutMs: seconds(values.timeout as string | undefined, '--timeout'),
    jobs,
    reports: {
      junit: values['report-junit'] as string | undefined,
      tap: values['report-tap'] as string | undefined,
      json: values['report-json'] as string | undefined,
      gradescope: values['report-gradescope'] as string | undefined,
    },
    spawn: values.spawn as string | undefined,
    spawnWaitMs: seconds(values['spawn-wait'] as string | undefined, '--spawn-wait') ?? 10_000,
  };
}

export function parseExportArgs(argv: string[]): ExportArgs {
  const { values, positionals } = parse(argv, { lang: { type: 'string' }, var: { type: 'string', multiple: true } });
  const lang = values.lang as string | undefined;
  if (lang !== 'python' && lang !== 'java' && lang !== 'shell') {
    throw new UsageError(`export needs --lang python, java or shell${lang ? `, not ${JSON.stringify(lang)}` : ''}`);
  }
  if (positionals.length !== 1) throw new UsageError('export needs exactly one conversation file');
  return { file: positionals[0] as string, lang, variables: variables(values.var as string[] | undefined) };
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse(
  argv: string[],
  options: Options,
): { values: Record<string, string | string[] | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | string[] | boolean | undefined>, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
