import { parseRequests } from '../../../shared/http/parse/collect';

/** One request found in the raw text: where it sits, its method (for response framing). */
export interface RawRequest {
  method: string;
  target: string;
  offset: number;
  length: number;
  /** The parser found where it ends; false for an unfinished head or an unreadable request line. */
  complete: boolean;
}

/**
 * Splits what the user typed into the requests a server will see, with the shared
 * request parser (the same framing a server uses: Content-Length, chunked). Nothing is
 * changed: the bytes go out as typed. Text the parser cannot frame still goes out and
 * counts as one more request (the server answers it, or not, as it sees fit); empty
 * lines between requests belong to the one before (servers skip them).
 */
export function splitRequests(raw: Uint8Array): RawRequest[] {
  const parsed = parseRequests(raw, { closed: false, maxBodyBytes: 0 });
  const out: RawRequest[] = [];
  let consumed = 0;
  for (const message of parsed.messages) {
    const { head } = message;
    const ended = message.complete === true && message.endOffset !== null;
    const offset = out.length === 0 ? 0 : head.offset;
    const last = out[out.length - 1];
    if (last) last.length = head.offset - last.offset;
    const end = ended ? (message.endOffset as number) : raw.length;
    out.push({ method: head.method, target: head.target, offset, length: end - offset, complete: ended });
    consumed = end;
    if (!ended) break;
  }
  if (consumed < raw.length) {
    const rest = raw.subarray(consumed);
    const last = out[out.length - 1];
    if (last && isBlank(rest)) {
      last.length += rest.length;
    } else if (!last || last.complete) {
      const text = new TextDecoder('latin1').decode(rest.subarray(0, 256));
      const words = text.trimStart().split(/[ \t\r\n]+/);
      out.push({
        method: /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(words[0] ?? '') ? (words[0] as string) : '',
        target: words[1] ?? '',
        offset: consumed,
        length: raw.length - consumed,
        complete: false,
      });
    }
  }
  return out;
}

function isBlank(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0x0d || b === 0x0a);
}
