import MailComposer from 'nodemailer/lib/mail-composer';
import { PlaygroundError } from '../../../shared/contract/errors';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';

type ComposeRequest = ParsedRequestOf<'smtp.composeMessage'>;
type ComposeResult = ResponseOf<'smtp.composeMessage'>;

function fail(message: string, field?: string): PlaygroundError {
  return new PlaygroundError({ code: 'E_BAD_REQUEST', message, ...(field ? { field } : {}) });
}

/** `<id@host>` → `id@host`: MailComposer adds the brackets itself. */
function bareMessageId(id: string): string {
  const trimmed = id.trim();
  return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
}

/**
 * The MIME source of a message, built by nodemailer's MailComposer (the library behind
 * Nodemailer, well kept and exact about encodings): headers encoded where they must be,
 * text and HTML as alternatives, attachments in base64, CRLF line breaks. Only the
 * request's own bytes go in: file paths and URLs are never read.
 */
export async function composeMessage(request: ComposeRequest): Promise<ComposeResult> {
  if (request.from.trim() === '')
    throw fail('the From address is empty: type who sends it, e.g. alice@crepes.fr', 'payload.from');
  if (request.to.length + request.cc.length === 0) {
    throw fail('the message has no recipient: add an address to To or Cc, e.g. bob@hamburger.edu', 'payload.to');
  }
  let date: Date | string | undefined;
  if (request.date !== undefined && request.date.trim() !== '') {
    const parsed = new Date(request.date);
    if (Number.isNaN(parsed.getTime())) {
      throw fail(
        `the Date “${request.date}” is not a date: write it like “Sun, 22 Nov 2026 07:00:00 +0000” or 2026-11-22T07:00:00Z`,
        'payload.date',
      );
    }
    // As typed, so the header shows exactly what the user wrote.
    date = request.date.trim();
  }
  const composer = new MailComposer({
    from: request.from,
    to: request.to,
    cc: request.cc,
    subject: request.subject,
    text: request.text,
    ...(request.html !== undefined ? { html: request.html } : {}),
    ...(date !== undefined ? { date } : {}),
    ...(request.messageId?.trim() ? { messageId: bareMessageId(request.messageId) } : {}),
    attachments: request.attachments.map((item) => ({
      filename: item.filename,
      contentType: item.contentType,
      content: Buffer.from(item.data.buffer, item.data.byteOffset, item.data.byteLength),
    })),
    headers: request.headers.map((header) => ({ key: header.name, value: header.value })),
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  let raw: Buffer;
  let node: ReturnType<MailComposer['compile']>;
  try {
    node = composer.compile();
    raw = await node.build();
  } catch (error) {
    throw fail(`the message could not be built: ${error instanceof Error ? error.message : String(error)}`);
  }
  const envelope = node.getEnvelope();
  const headerEnd = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, headerEnd < 0 ? raw.length : headerEnd).toString('latin1');
  const dateHeader = /^Date: ?(.*)$/im.exec(head)?.[1] ?? '';
  return {
    raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
    messageId: `<${bareMessageId(node.messageId())}>`,
    date: dateHeader,
    envelope: { from: envelope.from || '', to: envelope.to ?? [] },
    size: raw.byteLength,
  };
}
