import { decodeValidUtf8 } from '../bytes/utf8';
import { parseEscapes } from '../bytes/escapes';
import { indexOfControl, LineCursor, LineProblem, parseDuration } from './lineCursor';
import {
  type Check,
  type Conversation,
  type ConversationFile,
  type ConversationTool,
  conversationTools,
  type ParseOutcome,
  type ParseProblem,
  type Place,
  type Step,
} from './model';
import { parseCapture, parseCheck, parseLabel, parsePayload } from './parsePieces';
import { variableName } from './templates';

/** More problems than this and the rest are not listed: the first ones are the ones to fix. */
const maxProblems = 20;
/** Lines longer than this are refused (a conversation file is written by people). */
const maxLineChars = 1_000_000;

const toolsText = conversationTools.join(', ');

/**
 * Parses a conversation file (docs/conversations.md). Pure and total: any string gives
 * either the file or a list of problems with line and column, never an exception.
 */
export function parseConversationFile(text: string): ParseOutcome {
  try {
    return new Parser(text).run();
  } catch (error) {
    // A bug must still not take the caller down: say so as a problem.
    return { ok: false, problems: [{ line: 1, column: 1, message: `internal parser error: ${String(error)}` }] };
  }
}

class Parser {
  private readonly problems: ParseProblem[] = [];
  private readonly file: ConversationFile = { variables: [], conversations: [] };
  private conversation: Conversation | undefined;
  private step: Step | undefined;
  /** The last line was `send` or a continuation of it. */
  private continuing = false;
  /** Capture names seen so far: later templates may use them. */
  /** Problems before the current conversation began: later follow-on complaints about it are left out. */
  private problemsBefore = 0;

  constructor(private readonly text: string) {}

  run(): ParseOutcome {
    const body = this.text.startsWith('\uFEFF') ? this.text.slice(1) : this.text;
    const lines = body.split('\n');
    for (let i = 0; i < lines.length && this.problems.length < maxProblems; i++) {
      const raw = lines[i] as string;
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      try {
        this.line(new LineCursor(line, i + 1));
      } catch (error) {
        if (!(error instanceof LineProblem)) throw error;
        this.problems.push({ ...error.at, message: error.message });
        this.continuing = false;
      }
    }
    this.finishConversation();
    if (this.file.conversations.length === 0 && this.problems.length === 0) {
      this.problems.push({
        line: 1,
        column: 1,
        message: `expected a line "conversation TOOL" (${toolsText}), found no conversation in the file`,
      });
    }
    if (this.problems.length > 0) return { ok: false, problems: this.problems };
    return { ok: true, file: this.file };
  }

  private line(cursor: LineCursor): void {
    if (cursor.text.length > maxLineChars) {
      throw new LineProblem(
        cursor.place(0),
        `expected a line of at most ${maxLineChars} characters (use file … for big payloads)`,
      );
    }
    const control = indexOfControl(cursor.text);
    if (control >= 0) {
      throw new LineProblem(
        cursor.place(control),
        'expected text without control characters (write them as escapes like \\r or \\x00 inside "…")',
      );
    }
    const indented = cursor.text.length > 0 && (cursor.text[0] === ' ' || cursor.text[0] === '\t');
    if (cursor.atEnd()) return; // blank or comment: a continuation may go on after it
    if (indented && this.continuing) {
      (this.step?.send as NonNullable<Step['send']>).push(parsePayload(cursor, 'more bytes to send'));
      cursor.expectEnd();
      return;
    }
    this.continuing = false;
    const at = cursor.place();
    const keyword = cursor.word() as string;
    if (keyword === 'var') return this.variable(cursor, at);
    if (keyword === 'conversation') return this.startConversation(cursor, at);
    const conversation = this.conversation;
    if (!conversation) {
      throw new LineProblem(
        at,
        `expected "conversation TOOL" (${toolsText}) or "var", found ${JSON.stringify(keyword)}`,
      );
    }
    switch (keyword) {
      case 'description': {
        const value = cursor.rest();
        conversation.description = conversation.description ? `${conversation.description}\n${value}` : value;
        return;
      }
      case 'target':
        return this.target(cursor, conversation, at);
      case 'timeout':
        conversation.timeoutMs = parseDuration(cursor);
        return cursor.expectEnd();
      case 'settle':
        conversation.settleMs = parseDuration(cursor);
        return cursor.expectEnd();
      case 'send': {
        const payload = parsePayload(cursor, 'the bytes to send');
        cursor.expectEnd();
        this.step = { send: [payload], checks: [], captures: [], at };
        conversation.steps.push(this.step);
        this.continuing = true;
        return;
      }
      case 'expect': {
        const check = parseCheck(cursor);
        this.checkFits(conversation.tool, check);
        this.currentStep(conversation, at).checks.push(check);
        return;
      }
      case 'capture': {
        const capture = parseCapture(cursor);
        cursor.expectEnd();
        if (capture.source.from === 'header' && conversation.tool !== 'http') {
          throw new LineProblem(capture.at, 'expected regex /…/: only HTTP replies have headers');
        }
        this.currentStep(conversation, at).captures.push(capture);
        return;
      }
      default:
        throw new LineProblem(
          at,
          `expected send, expect, capture, target, var, description, timeout, settle or conversation, found ${JSON.stringify(keyword)}`,
        );
    }
  }

  private variable(cursor: LineCursor, at: Place): void {
    const nameAt = cursor.place();
    const name = cursor.expectWord('a variable name');
    if (!variableName.test(name)) {
      throw new LineProblem(
        nameAt,
        `expected a variable name (letters, digits, _ and -), found ${JSON.stringify(name)}`,
      );
    }
    if (cursor.word() !== '=')
      throw new LineProblem(cursor.place(), `expected "=" after var ${name} (var ${name} = value)`);
    let value: string;
    if (cursor.peekChar() === '"') {
      const start = cursor.position;
      const source = cursor.quoted('the value');
      const parsed = parseEscapes(source);
      if (!parsed.ok)
        throw new LineProblem(
          cursor.place(start + 1 + parsed.error.index),
          `expected a valid value: ${parsed.error.message}`,
        );
      value = decodeValidUtf8(parsed.bytes);
      cursor.expectEnd();
    } else {
      value = cursor.rest();
    }
    if (this.file.variables.some((v) => v.name === name)) {
      throw new LineProblem(nameAt, `expected each variable once, found a second "var ${name}"`);
    }
    this.file.variables.push({ name, value, at });
  }

  private startConversation(cursor: LineCursor, at: Place): void {
    this.finishConversation();
    const toolAt = cursor.place();
    const tool = cursor.expectWord(`a tool (${toolsText})`);
    if (!(conversationTools as readonly string[]).includes(tool)) {
      throw new LineProblem(toolAt, `expected a tool (${toolsText}), found ${JSON.stringify(tool)}`);
    }
    const title = cursor.atEnd() ? '' : parseLabel(cursor, 'a title');
    cursor.expectEnd();
    this.problemsBefore = this.problems.length;
    this.conversation = { tool: tool as ConversationTool, title, description: '', target: undefined, steps: [], at };
    this.step = undefined;
  }

  private target(cursor: LineCursor, conversation: Conversation, at: Place): void {
    const valueAt = cursor.place();
    let word = cursor.expectWord('host:port, e.g. {{host}}:{{port}}');
    let tls = false;
    if (conversation.tool === 'http' && /^https?:\/\//.test(word)) {
      tls = word.startsWith('https');
      word = word.replace(/^https?:\/\//, '').replace(/\/$/, '');
    }
    const match = /^(\[[^\]]+\]|[^:\s]+|\{\{[^}]*\}\}):(.+)$/.exec(word) ?? /^(.*):([^:]+)$/.exec(word);
    if (!match || match[1] === '' || match[2] === '') {
      throw new LineProblem(
        valueAt,
        `expected host:port (e.g. 127.0.0.1:12000 or {{host}}:{{port}}), found ${JSON.stringify(word)}`,
      );
    }
    const port = match[2] as string;
    if (!/^\d{1,5}$/.test(port) && !/^\{\{\s*[A-Za-z_][A-Za-z0-9_-]*\s*\}\}$/.test(port)) {
      throw new LineProblem(valueAt, `expected a port number or {{variable}} after ":", found ${JSON.stringify(port)}`);
    }
    if (cursor.peekWord() === 'tls') {
      cursor.word();
      tls = true;
    }
    cursor.expectEnd();
    if (conversation.target)
      throw new LineProblem(at, 'expected one target per conversation (start another conversation for another target)');
    const host = (match[1] as string).replace(/^\[(.*)\]$/, '$1');
    conversation.target = { host, port, tls, at };
  }

  private currentStep(conversation: Conversation, at: Place): Step {
    if (this.step) return this.step;
    if (conversation.tool === 'udp' || conversation.tool === 'http') {
      throw new LineProblem(
        at,
        `expected a send before the first expect or capture (a ${conversation.tool.toUpperCase()} server never speaks first)`,
      );
    }
    this.step = { checks: [], captures: [], at };
    conversation.steps.push(this.step);
    return this.step;
  }

  private checkFits(tool: ConversationTool, check: Check): void {
    const kind = check.spec.kind;
    const httpOnly =
      kind === 'body' || kind === 'header' || kind === 'status' || kind === 'statusLine' || kind === 'complete';
    if (httpOnly && tool !== 'http')
      throw new LineProblem(
        check.at,
        `expected a check for ${tool} (${kind === 'statusLine' ? 'status-line' : kind} is for http)`,
      );
    if (kind === 'code' && tool !== 'smtp')
      throw new LineProblem(check.at, `expected a check for ${tool} (code is for smtp replies)`);
    if (kind === 'closed' && tool === 'udp')
      throw new LineProblem(check.at, 'expected a check for udp (UDP has no connection to close)');
  }

  private finishConversation(): void {
    const conversation = this.conversation;
    if (!conversation) return;
    this.conversation = undefined;
    this.step = undefined;
    this.continuing = false;
    if (this.problems.length > this.problemsBefore) return;
    if (!conversation.target) {
      this.problems.push({
        ...conversation.at,
        message: 'expected a "target host:port" line in this conversation, found none',
      });
      return;
    }
    if (!conversation.steps.some((step) => step.send)) {
      this.problems.push({
        ...conversation.at,
        message: 'expected at least one "send" in this conversation, found none',
      });
      return;
    }
    this.file.conversations.push(conversation);
  }
}
