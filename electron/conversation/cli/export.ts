import { basename } from 'node:path';
import { exportConversationFile, type ExportLanguage } from '../../../shared/conversation/export/index';
import { formatProblem } from '../../../shared/conversation/model';
import { unknownVariables } from '../../../shared/conversation/variables';
import { loadConversationFile } from '../loadFile';
import type { ExportArgs } from './args';
import { exitCodes } from './run';

/** `protocol-playground export --lang L FILE`: the program on stdout. */
export async function exportCommand(
  args: ExportArgs,
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  const loaded = await loadConversationFile(args.file);
  const problems = loaded.ok ? unknownVariables(loaded.file, args.variables) : loaded.problems;
  for (const problem of problems) io.err(formatProblem(args.file, problem));
  if (!loaded.ok || problems.length > 0) return exitCodes.parse;
  const exported = exportConversationFile(
    loaded.file,
    args.lang as ExportLanguage,
    args.variables,
    basename(args.file),
  );
  if (!exported.ok) {
    io.err(`protocol-playground: ${exported.message}`);
    return exitCodes.usage;
  }
  process.stdout.write(exported.program);
  return exitCodes.ok;
}
