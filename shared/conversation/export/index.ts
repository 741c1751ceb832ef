import type { ConversationFile } from '../model';
import { toJava } from './java';
import { toPython } from './python';
import { toShell } from './shell';
import { prepare } from './steps';

export const exportLanguages = ['python', 'java', 'shell'] as const;
export type ExportLanguage = (typeof exportLanguages)[number];

/**
 * A conversation file as a program that sends the same bytes: Python in the textbook's
 * style, the textbook's Java UDPClient/TCPClient, or printf | nc. Pure, so the app's
 * "Export as…" and the command line share it.
 */
export function exportConversationFile(
  file: ConversationFile,
  language: ExportLanguage,
  variables: Readonly<Record<string, string>> = {},
  source = 'a conversation',
): { ok: true; program: string } | { ok: false; message: string } {
  const prepared = prepare(file, variables);
  if (!prepared.ok) return prepared;
  if (language === 'python') return { ok: true, program: toPython(prepared.conversations, source) };
  if (language === 'java') return toJava(prepared.conversations, source);
  return toShell(prepared.conversations, source);
}
