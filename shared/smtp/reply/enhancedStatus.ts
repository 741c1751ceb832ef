/**
 * Enhanced mail system status codes (RFC 3463, registry RFC 5248): the
 * `5.1.1` that servers offering ENHANCEDSTATUSCODES put after the reply code,
 * as in `550 5.1.1 <bob@hamburger.edu>... User unknown`. Class says how bad,
 * subject says which part of the system, detail says exactly what.
 */

export interface EnhancedStatus {
  /** As written, e.g. `5.1.1`. */
  code: string;
  statusClass: 2 | 4 | 5;
  subject: number;
  detail: number;
}

export interface EnhancedStatusExplanation extends EnhancedStatus {
  /** "Permanent failure" */
  classTitle: string;
  /** "Addressing" */
  subjectTitle: string;
  /** "Bad destination mailbox address", or null for a detail the registry does not list. */
  detailTitle: string | null;
  /** One or two sentences for a student. */
  meaning: string;
  /** True when the class disagrees with the reply code (a 550 reply should carry 5.x.x). */
  classMismatch: boolean;
}

const classes: Record<2 | 4 | 5, { title: string; meaning: string }> = {
  2: { title: 'Success', meaning: 'the action worked' },
  4: {
    title: 'Persistent transient failure',
    meaning: 'it failed for now; sending the same thing later may work',
  },
  5: {
    title: 'Permanent failure',
    meaning: 'it failed and will fail again unless the message, the address or the setup changes',
  },
};

const subjects: readonly string[] = [
  'Other or undefined status',
  'Addressing',
  'Mailbox',
  'Mail system',
  'Network and routing',
  'Mail delivery protocol',
  'Message content or media',
  'Security or policy',
];

/** The registry's detail titles, keyed by `subject.detail`. */
const details: ReadonlyMap<string, string> = new Map([
  ['0.0', 'Other undefined status'],
  ['1.0', 'Other address status'],
  ['1.1', 'Bad destination mailbox address'],
  ['1.2', 'Bad destination system address'],
  ['1.3', 'Bad destination mailbox address syntax'],
  ['1.4', 'Destination mailbox address ambiguous'],
  ['1.5', 'Destination address valid'],
  ['1.6', 'Destination mailbox has moved, no forwarding address'],
  ['1.7', "Bad sender's mailbox address syntax"],
  ['1.8', "Bad sender's system address"],
  ['1.9', 'Message relayed to non-compliant mailer'],
  ['1.10', 'Recipient address has null MX'],
  ['2.0', 'Other or undefined mailbox status'],
  ['2.1', 'Mailbox disabled, not accepting messages'],
  ['2.2', 'Mailbox full'],
  ['2.3', 'Message length exceeds administrative limit'],
  ['2.4', 'Mailing list expansion problem'],
  ['3.0', 'Other or undefined mail system status'],
  ['3.1', 'Mail system full'],
  ['3.2', 'System not accepting network messages'],
  ['3.3', 'System not capable of selected features'],
  ['3.4', 'Message too big for system'],
  ['3.5', 'System incorrectly configured'],
  ['4.0', 'Other or undefined network or routing status'],
  ['4.1', 'No answer from host'],
  ['4.2', 'Bad connection'],
  ['4.3', 'Directory server failure'],
  ['4.4', 'Unable to route'],
  ['4.5', 'Mail system congestion'],
  ['4.6', 'Routing loop detected'],
  ['4.7', 'Delivery time expired'],
  ['5.0', 'Other or undefined protocol status'],
  ['5.1', 'Invalid command'],
  ['5.2', 'Syntax error'],
  ['5.3', 'Too many recipients'],
  ['5.4', 'Invalid command arguments'],
  ['5.5', 'Wrong protocol version'],
  ['5.6', 'Authentication exchange line is too long'],
  ['6.0', 'Other or undefined media error'],
  ['6.1', 'Media not supported'],
  ['6.2', 'Conversion required and prohibited'],
  ['6.3', 'Conversion required but not supported'],
  ['6.4', 'Conversion with loss performed'],
  ['6.5', 'Conversion failed'],
  ['6.6', 'Message content not available'],
  ['6.7', 'Non-ASCII addresses not permitted for that sender or recipient'],
  ['6.8', 'UTF-8 string reply is required, but not permitted by the SMTP client'],
  ['6.9', 'UTF-8 header message cannot be transferred to one or more recipients'],
  ['7.0', 'Other or undefined security status'],
  ['7.1', 'Delivery not authorized, message refused'],
  ['7.2', 'Mailing list expansion prohibited'],
  ['7.3', 'Security conversion required but not possible'],
  ['7.4', 'Security features not supported'],
  ['7.5', 'Cryptographic failure'],
  ['7.6', 'Cryptographic algorithm not supported'],
  ['7.7', 'Message integrity failure'],
  ['7.8', 'Authentication credentials invalid'],
  ['7.9', 'Authentication mechanism is too weak'],
  ['7.10', 'Encryption needed'],
  ['7.11', 'Encryption required for requested authentication mechanism'],
  ['7.12', 'A password transition is needed'],
  ['7.13', 'User account disabled'],
  ['7.14', 'Trust relationship required'],
  ['7.15', 'Priority level is too low'],
  ['7.16', 'Message is too big for the specified priority'],
  ['7.17', 'Mailbox owner has changed'],
  ['7.18', 'Domain owner has changed'],
  ['7.19', 'RRVS test cannot be completed'],
  ['7.20', 'No passing DKIM signature found'],
  ['7.21', 'No acceptable DKIM signature found'],
  ['7.22', 'No valid author-matched DKIM signature found'],
  ['7.23', 'SPF validation failed'],
  ['7.24', 'SPF validation error'],
  ['7.25', 'Reverse DNS validation failed'],
  ['7.26', 'Multiple authentication checks failed'],
  ['7.27', 'Sender address has null MX'],
]);

/** Plain words for the details students meet most, beyond the registry's title. */
const studentNotes: ReadonlyMap<string, string> = new Map([
  ['1.1', 'the mailbox does not exist here: check the part before the @'],
  ['1.2', 'the domain after the @ does not exist or does not take mail'],
  ['1.3', 'the address is not written correctly: MAIL FROM:<alice@crepes.fr>, with the angle brackets'],
  ['1.7', "the sender's address is not written correctly"],
  ['2.2', "the recipient's mailbox is full"],
  ['3.4', 'the message is bigger than the server accepts (see SIZE in the EHLO reply)'],
  ['5.1', 'the server does not know this command'],
  ['5.2', 'the command is misspelled or its arguments are malformed'],
  ['5.3', 'too many RCPT TO in one mail'],
  ['7.0', 'a security policy stopped it, e.g. log in (AUTH) or start TLS first'],
  ['7.1', 'the server refuses: usually relaying to another domain without logging in, or a spam filter'],
  ['7.8', 'wrong user name or password'],
]);

const pattern = /^([245])\.(\d{1,3})\.(\d{1,3})(?=\s|$)/;

/** The enhanced status at the start of a reply line's text, or null. */
export function parseEnhancedStatus(text: string): EnhancedStatus | null {
  const match = pattern.exec(text);
  if (!match) return null;
  return {
    code: match[0],
    statusClass: Number(match[1]) as 2 | 4 | 5,
    subject: Number(match[2]),
    detail: Number(match[3]),
  };
}

export function explainEnhancedStatus(status: EnhancedStatus, replyCode?: number | null): EnhancedStatusExplanation {
  const key = `${status.subject}.${status.detail}`;
  const statusClass = classes[status.statusClass];
  const subjectTitle = subjects[status.subject] ?? `Subject ${status.subject} (not in the registry)`;
  const detailTitle = details.get(key) ?? null;
  const what = detailTitle ?? `${subjectTitle.toLowerCase()}, detail ${status.detail} (not in the registry)`;
  const note = studentNotes.get(key);
  const classMismatch =
    replyCode !== undefined && replyCode !== null && Math.floor(replyCode / 100) !== status.statusClass;
  let meaning = `${status.code}: ${statusClass.title.toLowerCase()} (${statusClass.meaning}) — ${what}.`;
  if (note) meaning += ` In short: ${note}.`;
  if (classMismatch) {
    meaning += ` Odd: it starts with ${status.statusClass} but the reply code is ${replyCode}; the first digits should agree.`;
  }
  return { ...status, classTitle: statusClass.title, subjectTitle, detailTitle, meaning, classMismatch };
}
