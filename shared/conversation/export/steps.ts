import { parseEscapes } from '../../bytes/escapes';
import { encodeUtf8 } from '../../bytes/utf8';
import type { Conversation, ConversationFile, Payload } from '../model';
import { expandTemplate, splitTemplate } from '../templates';

/** A piece of what a step sends: fixed bytes, or a value the program captures at run time. */
export type Piece = { bytes: Uint8Array } | { captured: string };

export interface ExportStep {
  /** Undefined: read what the server says first. */
  send: Piece[] | undefined;
  /** `expect code 250` / `expect status 200`, for the textbook-style "reply not received" line. */
  code: string | undefined;
  captures: Conversation['steps'][number]['captures'];
}

export interface ExportConversation {
  tool: Conversation['tool'];
  title: string;
  host: string;
  port: number;
  steps: ExportStep[];
}

export type Prepared = { ok: true; conversations: ExportConversation[] } | { ok: false; message: string };

/**
 * The file with its variables filled in (defaults, then `--var`), ready to be written as
 * a program. Values captured at run time stay symbolic; `file …` payloads are refused
 * (the program would need the file beside it).
 */
export function prepare(file: ConversationFile, given: Readonly<Record<string, string>>): Prepared {
  const captures = new Set(file.conversations.flatMap((c) => c.steps.flatMap((s) => s.captures.map((x) => x.name))));
  const lookup = (name: string) => given[name] ?? file.variables.find((v) => v.name === name)?.value;
  const conversations: ExportConversation[] = [];
  for (const conversation of file.conversations) {
    const target = conversation.target;
    if (!target) return { ok: false, message: 'a conversation has no target' };
    const host = expandTemplate(target.host, lookup);
    const port = expandTemplate(target.port, lookup);
    if (!host.ok || !port.ok)
      return {
        ok: false,
        message: `unknown variable {{${!host.ok ? host.variable : (port as { variable: string }).variable}}}`,
      };
    if (target.tls)
      return { ok: false, message: 'TLS targets are not exported (the textbook programs use plain sockets)' };
    const steps: ExportStep[] = [];
    for (const step of conversation.steps) {
      let send: Piece[] | undefined;
      if (step.send) {
        send = [];
        for (const payload of step.send) {
          const pieces = payloadPieces(payload, lookup, captures);
          if (typeof pieces === 'string') return { ok: false, message: pieces };
          send.push(...pieces);
        }
      }
      const codeCheck = step.checks.find((c) => c.spec.kind === 'code' || c.spec.kind === 'status');
      const code =
        codeCheck && (codeCheck.spec.kind === 'code' || codeCheck.spec.kind === 'status')
          ? codeCheck.spec.pattern
          : undefined;
      steps.push({ send, code, captures: step.captures });
    }
    conversations.push({
      tool: conversation.tool,
      title: conversation.title,
      host: host.value,
      port: Number(port.value),
      steps,
    });
  }
  return { ok: true, conversations };
}

function payloadPieces(
  payload: Payload,
  lookup: (name: string) => string | undefined,
  captures: Set<string>,
): Piece[] | string {
  if (payload.kind === 'hex' || payload.kind === 'base64') return [{ bytes: payload.bytes }];
  if (payload.kind === 'file')
    return `file payloads (${payload.path}) are not exported: paste the bytes into the conversation`;
  const pieces: Piece[] = [];
  for (const piece of splitTemplate(payload.source)) {
    if (!piece.variable) {
      const parsed = parseEscapes(piece.text);
      pieces.push({ bytes: parsed.ok ? parsed.bytes : encodeUtf8(piece.text) });
      continue;
    }
    if (captures.has(piece.text) && lookup(piece.text) === undefined) {
      pieces.push({ captured: piece.text });
      continue;
    }
    const value = lookup(piece.text);
    if (value === undefined) return `unknown variable {{${piece.text}}}`;
    pieces.push({ bytes: encodeUtf8(value) });
  }
  return pieces;
}

/** Adjacent fixed pieces joined, so a program has one literal per run of bytes. */
export function merged(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const last = out[out.length - 1];
    if ('bytes' in piece && last && 'bytes' in last) {
      const joined = new Uint8Array(last.bytes.length + piece.bytes.length);
      joined.set(last.bytes);
      joined.set(piece.bytes, last.bytes.length);
      out[out.length - 1] = { bytes: joined };
    } else out.push(piece);
  }
  return out;
}

/** Splits bytes after each LF, so long requests print one wire line per program line. */
export function lines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      out.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length || out.length === 0) out.push(bytes.subarray(start));
  return out;
}
