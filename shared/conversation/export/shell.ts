import type { ExportConversation, Piece } from './steps';
import { merged } from './steps';

/** A printf format that prints exactly these bytes: octal escapes for all but plain printable ASCII. */
function printfFormat(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x25) out += '%%';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x27) out += '\\047';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `'${out}'`;
}

function bytesOf(pieces: Piece[]): Uint8Array | string {
  const [only, ...more] = merged(pieces);
  if (more.length > 0 || !only || 'captured' in only) return 'captures are exported to Python only: use --lang python';
  return only.bytes;
}

/** printf … | nc, one pipeline per conversation; SMTP steps paced with sleep so each waits for its reply. */
export function toShell(
  conversations: ExportConversation[],
  source: string,
): { ok: true; program: string } | { ok: false; message: string } {
  const out = ['#!/bin/sh', `# ${source}, exported by Protocol Playground: the same bytes with printf and nc.`];
  for (const conversation of conversations) {
    out.push('', `# ${conversation.title || conversation.tool.toUpperCase()}`);
    const sends: string[] = [];
    for (const step of conversation.steps) {
      if (!step.send) continue;
      const bytes = bytesOf(step.send);
      if (typeof bytes === 'string') return { ok: false, message: bytes };
      sends.push(`printf ${printfFormat(bytes)}`);
    }
    const host = conversation.host.includes(':') ? conversation.host : conversation.host;
    if (conversation.tool === 'udp') {
      for (const send of sends) out.push(`${send} | nc -u -w 1 ${host} ${conversation.port}; echo`);
    } else if (sends.length === 1) {
      out.push(`${sends[0]} | nc -w 5 ${host} ${conversation.port}; echo`);
    } else {
      out.push(
        `{ ${sends.map((send) => `${send}; sleep 1`).join('; ')}; } | nc -w 5 ${host} ${conversation.port}; echo`,
      );
    }
  }
  return { ok: true, program: `${out.join('\n')}\n` };
}
