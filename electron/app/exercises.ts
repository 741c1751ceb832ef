import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { exerciseCountLimit, exerciseFileLimit } from '../../shared/app/contract';
import type { ResponseOf } from '../../shared/contract/index';

/** The file extension docs/conversations.md and exercises/ use. */
export const conversationExtension = '.conv';

/**
 * Where the exercises are: PLAYGROUND_EXERCISES when set (a lab's own folder), else the
 * nearest `exercises/` folder above the working directory or the running script.
 */
export async function exercisesFolder(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const named = env.PLAYGROUND_EXERCISES?.trim();
  if (named) return resolve(named);
  const starts = [process.cwd(), process.argv[1] ? dirname(resolve(process.argv[1])) : undefined];
  for (const start of starts) {
    if (!start) continue;
    let dir = start;
    for (let up = 0; up < 6; up++) {
      const candidate = join(dir, 'exercises');
      if (await isFolder(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The `.conv` files of the folder, by name, each at most exerciseFileLimit bytes. */
export async function listExercises(folder: string | null): Promise<ResponseOf<'app.exercises'>> {
  if (folder === null) return { folder: null, files: [], skipped: [] };
  const names = (await readdir(folder))
    .filter((name) => name.endsWith(conversationExtension))
    .sort()
    .slice(0, exerciseCountLimit);
  const files: { name: string; text: string }[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const name of names) {
    const path = join(folder, basename(name));
    try {
      const info = await stat(path);
      if (!info.isFile()) continue;
      if (info.size > exerciseFileLimit) {
        skipped.push({ name, reason: `larger than ${exerciseFileLimit / 1024} KiB` });
        continue;
      }
      files.push({ name, text: await readFile(path, 'utf8') });
    } catch (error) {
      skipped.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { folder, files, skipped };
}
