import type { Place } from './model';

/** A problem at a place; the parser collects these instead of throwing. */
export class LineProblem {
  constructor(
    readonly at: Place,
    readonly message: string,
  ) {}
}

/** Code-point column of a UTF-16 index within one line (1-based). */
export function columnOf(text: string, index: number): number {
  let column = 1;
  for (let i = 0; i < index && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < index) i++;
    column++;
  }
  return column;
}

/**
 * Reads one line token by token. What a token is depends on where the grammar is
 * (`/x/` is a regex after `regex`, a path after `file`), so the parser asks for
 * the kind it expects rather than the line being split up front.
 */
export class LineCursor {
  private index = 0;

  constructor(
    readonly text: string,
    readonly line: number,
  ) {}

  get position(): number {
    return this.index;
  }

  /** Where the next token starts (or `index`). */
  place(index?: number): Place {
    if (index === undefined) this.skipSpaces();
    return { line: this.line, column: columnOf(this.text, index ?? this.index) };
  }

  skipSpaces(): void {
    while (this.index < this.text.length && (this.text[this.index] === ' ' || this.text[this.index] === '\t')) {
      this.index++;
    }
  }

  atEnd(): boolean {
    this.skipSpaces();
    return this.index >= this.text.length || this.text[this.index] === '#';
  }

  peekChar(): string | undefined {
    this.skipSpaces();
    return this.text[this.index];
  }

  /** A run of non-space characters, or undefined at the end of the line. */
  word(): string | undefined {
    if (this.atEnd()) return undefined;
    const start = this.index;
    while (this.index < this.text.length && this.text[this.index] !== ' ' && this.text[this.index] !== '\t') {
      this.index++;
    }
    return this.text.slice(start, this.index);
  }

  peekWord(): string | undefined {
    const saved = this.index;
    const word = this.word();
    this.index = saved;
    return word;
  }

  expectWord(what: string): string {
    const at = this.place();
    const word = this.word();
    if (word === undefined) throw new LineProblem(at, `expected ${what}, found the end of the line`);
    return word;
  }

  /** `"…"`: the raw text between the quotes, escapes left as written. */
  quoted(what: string): string {
    this.skipSpaces();
    const start = this.index;
    if (this.text[start] !== '"') throw this.found(`expected ${what} in double quotes`);
    let i = start + 1;
    while (i < this.text.length && this.text[i] !== '"') i += this.text[i] === '\\' ? 2 : 1;
    if (i >= this.text.length) {
      throw new LineProblem(this.place(start), `expected a closing " for the text that starts here`);
    }
    this.index = i + 1;
    return this.text.slice(start + 1, i);
  }

  /** `/…/flags`; `\/` stands for a slash. */
  regex(): { source: string; flags: string } {
    this.skipSpaces();
    const start = this.index;
    if (this.text[start] !== '/') throw this.found('expected a regular expression like /^HTTP\\/1\\.1 200/');
    let i = start + 1;
    while (i < this.text.length && this.text[i] !== '/') i += this.text[i] === '\\' ? 2 : 1;
    if (i >= this.text.length)
      throw new LineProblem(this.place(start), 'expected a closing / for the regular expression');
    const source = this.text.slice(start + 1, i);
    let end = i + 1;
    while (end < this.text.length && /[imsu]/.test(this.text[end] as string)) end++;
    const flags = this.text.slice(i + 1, end);
    if (end < this.text.length && this.text[end] !== ' ' && this.text[end] !== '\t') {
      throw new LineProblem(this.place(end), 'expected regular-expression flags (i, m, s, u) or a space');
    }
    try {
      new RegExp(source, flags);
    } catch (error) {
      throw new LineProblem(this.place(start), `expected a valid regular expression (${(error as Error).message})`);
    }
    this.index = end;
    return { source, flags };
  }

  /** The rest of the line, trimmed, comments included (descriptions may contain '#'). */
  rest(): string {
    const value = this.text.slice(this.index).trim();
    this.index = this.text.length;
    return value;
  }

  found(expected: string): LineProblem {
    const at = this.place();
    const word = this.peekWord();
    return new LineProblem(
      at,
      `${expected}, found ${word === undefined ? 'the end of the line' : JSON.stringify(word)}`,
    );
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.found('expected the end of the line');
  }
}

/** `5s`, `1.5s`, `300ms` → milliseconds. */
export function parseDuration(cursor: LineCursor, what = 'a duration like 5s or 300ms'): number {
  const at = cursor.place();
  const word = cursor.expectWord(what);
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(word);
  const ms = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : Number.NaN;
  if (!match || !Number.isFinite(ms) || ms > 3_600_000) {
    throw new LineProblem(at, `expected ${what} (at most 3600s), found ${JSON.stringify(word)}`);
  }
  return Math.round(ms);
}

/** Index of the first control character other than TAB (C0 or DEL), or -1. */
export function indexOfControl(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return i;
  }
  return -1;
}
