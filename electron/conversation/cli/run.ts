import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ConversationResult } from '../../../shared/conversation/checks';
import { type ConversationFile, formatProblem } from '../../../shared/conversation/model';
import { notRun, replayFile, resolveTarget } from '../../../shared/conversation/replay/run';
import { unknownVariables } from '../../../shared/conversation/variables';
import { loadConversationFile, payloadReader } from '../loadFile';
import { startNodeSide } from '../nodeSide';
import { gradescopeReport } from '../reports/gradescope';
import { jsonReport } from '../reports/json';
import type { RunReport, SpawnReport } from '../reports/model';
import { tapReport } from '../reports/tap';
import { type Spawned, spawnProgram } from '../spawn';
import type { RunArgs } from './args';
import { conversationLines, summaryLines } from './output';

export const exitCodes = { ok: 0, usage: 1, parse: 2, runtime: 3, failed: 4 } as const;

export interface RunIo {
  out: (line: string) => void;
  err: (line: string) => void;
  version: string;
  /** Aborted by Ctrl+C: the run stops, what is known is reported. */
  signal: AbortSignal;
}

/** `protocol-playground run`: parse every file, start the program, replay, report, exit code. */
export async function runCommand(args: RunArgs, io: RunIo): Promise<number> {
  const files: { path: string; file: ConversationFile }[] = [];
  let parseFailed = false;
  for (const path of args.files) {
    const loaded = await loadConversationFile(path);
    const problems = loaded.ok ? unknownVariables(loaded.file, args.variables) : loaded.problems;
    for (const problem of problems) io.err(formatProblem(path, problem));
    if (problems.length > 0 || !loaded.ok) parseFailed = true;
    else files.push({ path, file: loaded.file });
  }
  if (parseFailed) return exitCodes.parse;

  const startedAt = new Date();
  const report: RunReport = { startedAt, ms: 0, results: [], interrupted: false };
  let spawned: Spawned | undefined;
  let runtimeProblem = false;
  const finish = async (): Promise<number> => {
    if (spawned) {
      report.spawn = await spawned.stop();
      if (report.spawn.diedEarly) runtimeProblem = true;
      io.out(`program: ${report.spawn.command}: ${report.spawn.status}`);
      if (report.spawn.diedEarly) printTails(io, report.spawn);
    }
    report.interrupted = io.signal.aborted;
    report.ms = Date.now() - startedAt.getTime();
    for (const line of summaryLines(report.results)) io.out(line);
    await writeReports(args, report, io);
    const checks = report.results.flatMap((r) => r.checks);
    if (runtimeProblem || report.interrupted || checks.some((c) => c.status === 'error')) return exitCodes.runtime;
    if (checks.some((c) => c.status === 'failed')) return exitCodes.failed;
    return exitCodes.ok;
  };

  if (args.spawn !== undefined) {
    spawned = spawnProgram(args.spawn);
    const first = files[0]?.file;
    const conversation = first?.conversations[0];
    let waited: 'open' | 'exited' | 'timeout' | 'aborted';
    if (first && conversation) {
      const lookup = (name: string) => args.variables[name] ?? first.variables.find((v) => v.name === name)?.value;
      const target = resolveTarget(conversation, lookup);
      if (conversation.tool === 'udp') {
        // UDP has nothing to connect to: give the program a moment to bind.
        await new Promise((resolve) => setTimeout(resolve, 500));
        waited = spawned.exited ? 'exited' : 'open';
      } else {
        io.out(
          `program: started ${args.spawn}; waiting for ${target.host}:${target.port} (at most ${args.spawnWaitMs / 1000} s)`,
        );
        waited = await Promise.race([
          spawned.waitForPort(target.host, target.port, args.spawnWaitMs),
          new Promise<'aborted'>((resolve) =>
            io.signal.addEventListener('abort', () => resolve('aborted'), { once: true }),
          ),
        ]);
      }
      if (waited !== 'open') {
        runtimeProblem = true;
        const message =
          waited === 'exited'
            ? `program: ${args.spawn} exited before ${target.host}:${target.port} accepted a connection`
            : waited === 'timeout'
              ? `program: ${args.spawn} did not open ${target.host}:${target.port} within ${args.spawnWaitMs / 1000} s`
              : 'program: stopped (Ctrl+C) while waiting for its port';
        io.err(message);
        report.results = files.flatMap(({ path, file }) =>
          notRun(file, path, `not run: ${message.replace(/^program: /, '')}`),
        );

        return finish();
      }
    }
  }

  const nodeSide = startNodeSide();
  try {
    const byFile: ConversationResult[][] = new Array(files.length);
    let next = 0;
    const worker = async () => {
      while (next < files.length && !io.signal.aborted) {
        const index = next++;
        const { path, file } = files[index] as (typeof files)[number];
        const results = await replayFile(file, {
          client: nodeSide.client,
          variables: args.variables,
          timeoutMs: args.timeoutMs,
          readFile: payloadReader(path),
          fileName: path,
          signal: io.signal,
        });
        byFile[index] = results;
        for (const result of results) for (const line of conversationLines(result)) io.out(line);
        report.results = byFile.flat();
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.jobs, files.length) }, worker));
    report.results = byFile.flat();
  } finally {
    nodeSide.close();
  }
  return finish();
}

function printTails(io: RunIo, spawn: SpawnReport): void {
  if (spawn.stderrTail.trim()) io.err(`--- its stderr (last lines) ---\n${spawn.stderrTail.trimEnd()}`);
  if (spawn.stdoutTail.trim()) io.err(`--- its stdout (last lines) ---\n${spawn.stdoutTail.trimEnd()}`);
}

async function writeReports(args: RunArgs, report: RunReport, io: RunIo): Promise<void> {
  const jobs: [string | undefined, () => string | Promise<string>][] = [
    // xmlbuilder2 takes ~60 ms to load: only a run that asks for JUnit XML pays for it.
    [args.reports.junit, async () => (await import('../reports/junit')).junitReport(report)],
    [args.reports.tap, () => tapReport(report)],
    [args.reports.json, () => jsonReport(report, io.version)],
    [args.reports.gradescope, () => gradescopeReport(report)],
  ];
  for (const [path, make] of jobs) {
    if (!path) continue;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await make());
    } catch (error) {
      io.err(`could not write the report ${path}: ${(error as Error).message}`);
    }
  }
}
