import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * A folder as a person types it in a field: `~` is the home folder and `~/mail` a folder
 * in it, as in a shell; anything else is returned as typed (the caller checks it is a full path).
 */
export function expandHome(typed: string, home: string = homedir()): string {
  if (typed === '~') return home;
  return typed.startsWith('~/') ? join(home, typed.slice(2)) : typed;
}
