import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import type { MailAttachment } from '../../../shared/smtp/server/contract';

/** What the inbox list needs of a message, read once when it arrives. */
export interface MailHeadline {
  from: string | undefined;
  to: string | undefined;
  subject: string;
  date: string | undefined;
  attachments: number;
}

/** A message's MIME structure, as mailparser reads it (the raw bytes stay the reference). */
export interface MailContent {
  headers: { name: string; value: string; decoded?: string }[];
  text: string | undefined;
  html: string | undefined;
  attachments: MailAttachment[];
  headline: MailHeadline;
  parseError: string | undefined;
}

/** The inbox shows the parts; turning text into HTML and back is work nobody sees. */
const parseOptions = { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true };

/**
 * Reads a received message with mailparser (nodemailer's MIME parser: encodings,
 * charsets, multipart, attachments). A message that cannot be read still has its raw
 * bytes; the reason is returned instead of an error.
 */
export async function parseMail(raw: Uint8Array): Promise<MailContent> {
  if (!startsWithHeader(raw)) return headerless(raw);
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), parseOptions);
  } catch (error) {
    return {
      headers: [],
      text: undefined,
      html: undefined,
      attachments: [],
      headline: { from: undefined, to: undefined, subject: '', date: undefined, attachments: 0 },
      parseError: `the MIME structure could not be read (${error instanceof Error ? error.message : String(error)}); the raw source is shown as received`,
    };
  }
  const headers = parsed.headerLines.map(({ line }) => withDecoded(splitHeaderLine(line), parsed));
  const dateHeader = headers.find((header) => header.name.toLowerCase() === 'date');
  return {
    headers,
    text: parsed.text,
    html: parsed.html === false ? undefined : parsed.html,
    attachments: parsed.attachments.map((attachment) => ({
      ...(attachment.filename === undefined ? {} : { filename: attachment.filename }),
      contentType: attachment.contentType,
      ...(attachment.contentDisposition === undefined ? {} : { disposition: attachment.contentDisposition }),
      ...(attachment.cid === undefined ? {} : { contentId: attachment.cid }),
      size: attachment.size,
      data: new Uint8Array(attachment.content),
    })),
    headline: {
      from: addressText(parsed.from),
      to: addressText(parsed.to),
      subject: parsed.subject ?? '',
      date: dateHeader?.value,
      attachments: parsed.attachments.length,
    },
    parseError: undefined,
  };
}

const fieldName = /^[\x21-\x39\x3b-\x7e]+:/;
const CR = 0x0d;
const LF = 0x0a;

/** A header section starts with `Name:`; an empty one is a blank first line. */
function startsWithHeader(raw: Uint8Array): boolean {
  if (raw[0] === CR || raw[0] === LF || raw.byteLength === 0) return true;
  const end = Math.min(raw.byteLength, 1000);
  const first = Buffer.from(raw.buffer, raw.byteOffset, end).toString('latin1').split(/\r?\n/, 1)[0] ?? '';
  return fieldName.test(first);
}

/**
 * The textbook's message ("Do you like ketchup?") has no headers at all. A MIME parser
 * would take its lines for malformed headers; shown as body text, it reads as sent.
 */
function headerless(raw: Uint8Array): MailContent {
  return {
    headers: [],
    text: new TextDecoder().decode(raw),
    html: undefined,
    attachments: [],
    headline: { from: undefined, to: undefined, subject: '', date: undefined, attachments: 0 },
    parseError:
      'No header section: the first line is not a header (Name: value), so the whole message is body text. Mail programs expect headers such as From, To and Subject, then an empty line, then the body.',
  };
}

/** `Subject: hi` → name and value, the value unfolded (a CRLF before white space removed). */
function splitHeaderLine(line: string): { name: string; value: string } {
  const colon = line.indexOf(':');
  if (colon < 0) return { name: line, value: '' };
  return {
    name: line.slice(0, colon),
    value: line
      .slice(colon + 1)
      .replace(/\r?\n(?=[ \t])/g, '')
      .trim(),
  };
}

const encodedWord = /=\?[^?\s]+\?[bq]\?[^?\s]*\?=/i;

/**
 * A header written in RFC 2047 encoded-words (`=?UTF-8?Q?Menu_=E2=9C=93?=`) gets its
 * decoded value beside the value as written, from mailparser's reading of that header.
 */
function withDecoded(header: { name: string; value: string }, parsed: ParsedMail) {
  if (!encodedWord.test(header.value)) return header;
  const value = parsed.headers.get(header.name.toLowerCase());
  const decoded =
    typeof value === 'string'
      ? value
      : value !== null && typeof value === 'object' && 'text' in value && typeof value.text === 'string'
        ? value.text
        : undefined;
  return decoded === undefined || decoded === header.value ? header : { ...header, decoded };
}

function addressText(address: AddressObject | AddressObject[] | undefined): string | undefined {
  if (address === undefined) return undefined;
  const text = (Array.isArray(address) ? address : [address]).map((entry) => entry.text).join(', ');
  return text === '' ? undefined : text;
}
