/**
 * A zone in master-file syntax (RFC 1035 §5), the subset a course needs: `$ORIGIN`,
 * `$TTL`, `@`, relative names, an owner left blank to repeat the one above, `( … )`
 * across lines, `;` comments, and IN records of type A, AAAA, NS, CNAME, MX, TXT and SOA.
 * Every error names its line and column (1-based) and what to write instead.
 */

export type ZoneRdata =
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'NS' | 'CNAME'; target: string }
  | { type: 'MX'; preference: number; exchange: string }
  | { type: 'TXT'; strings: string[] }
  | {
      type: 'SOA';
      mname: string;
      rname: string;
      serial: number;
      refresh: number;
      retry: number;
      expire: number;
      minimum: number;
    };

export type ZoneRecord = ZoneRdata & {
  /** Absolute, lower case, with the trailing dot: `www.example.lab.`. */
  name: string;
  ttl: number;
  line: number;
};

export interface ZoneError {
  line: number;
  column: number;
  message: string;
}

export interface Zone {
  /** The zone's apex: the SOA's owner, else the first $ORIGIN. */
  origin: string;
  records: ZoneRecord[];
  errors: ZoneError[];
}

interface Token {
  text: string;
  line: number;
  column: number;
  quoted: boolean;
}

const maxZoneLines = 10_000;

/** Lines joined across parentheses into logical entries; each keeps whether it began with blank space. */
function tokenize(text: string, errors: ZoneError[]): { tokens: Token[]; blankOwner: boolean; line: number }[] {
  const entries: { tokens: Token[]; blankOwner: boolean; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  if (lines.length > maxZoneLines) {
    errors.push({ line: maxZoneLines + 1, column: 1, message: `a zone here has at most ${maxZoneLines} lines` });
  }
  let current: { tokens: Token[]; blankOwner: boolean; line: number } | undefined;
  let depth = 0;
  for (let l = 0; l < Math.min(lines.length, maxZoneLines); l++) {
    const line = lines[l]!;
    if (depth === 0) {
      current = { tokens: [], blankOwner: /^[ \t]/.test(line), line: l + 1 };
    }
    let i = 0;
    while (i < line.length) {
      const c = line[i]!;
      if (c === ' ' || c === '\t') {
        i++;
      } else if (c === ';') {
        break;
      } else if (c === '(') {
        depth++;
        i++;
      } else if (c === ')') {
        if (depth === 0) errors.push({ line: l + 1, column: i + 1, message: "')' without an opening '('" });
        else depth--;
        i++;
      } else if (c === '"') {
        let j = i + 1;
        let value = '';
        while (j < line.length && line[j] !== '"') {
          if (line[j] === '\\' && j + 1 < line.length) j++;
          value += line[j];
          j++;
        }
        if (j >= line.length)
          errors.push({ line: l + 1, column: i + 1, message: 'a quoted string is not closed: add the ending "' });
        current!.tokens.push({ text: value, line: l + 1, column: i + 1, quoted: true });
        i = j + 1;
      } else {
        let j = i;
        while (j < line.length && !' \t;()"'.includes(line[j]!)) j++;
        current!.tokens.push({ text: line.slice(i, j), line: l + 1, column: i + 1, quoted: false });
        i = j;
      }
    }
    if (depth === 0 && current && current.tokens.length > 0) entries.push(current);
  }
  if (depth > 0 && current) {
    errors.push({ line: current.line, column: 1, message: "'(' is never closed: add ')' at the end of the record" });
    if (current.tokens.length > 0) entries.push(current);
  }
  return entries;
}

/** `3600`, or BIND's units `1h`, `1d2h`, `30m`, `1w`. */
function parseTtl(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 0x7fffffff ? n : undefined;
  }
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  if (!/^(\d+[smhdw])+$/i.test(text)) return undefined;
  let total = 0;
  for (const [, n, u] of text.toLowerCase().matchAll(/(\d+)([smhdw])/g)) total += Number(n) * units[u!]!;
  return total <= 0x7fffffff ? total : undefined;
}

function nameProblem(name: string): string | undefined {
  if (name === '.') return undefined;
  const body = name.endsWith('.') ? name.slice(0, -1) : name;
  const labels = body.split('.');
  if (labels.some((l) => l === '')) return `'${name}' has an empty label (two dots in a row)`;
  const long = labels.find((l) => l.length > 63);
  if (long) return `label '${long.slice(0, 16)}…' is ${long.length} characters; at most 63`;
  if (body.length + 2 > 255) return `'${name.slice(0, 24)}…' is longer than 255 bytes`;
  return undefined;
}

/** An IPv6 address in any text form → true when well-formed. */
export function isIPv6(text: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(text) || text.length > 45) return false;
  const double = text.indexOf('::');
  if (double !== text.lastIndexOf('::')) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  let tail = text;
  let v4Groups = 0;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    if (!isIPv4(text.slice(lastColon + 1))) return false;
    tail = text.slice(0, lastColon + 1) + '0';
    v4Groups = 1;
  }
  const ok = (g: string) => /^[0-9a-f]{1,4}$/i.test(g);
  if (double >= 0) {
    const [left, right] = [tail.slice(0, double), tail.slice(double + 2)];
    const all = [...groups(left), ...groups(right)];
    return all.every(ok) && all.length + v4Groups <= 7;
  }
  const all = tail.split(':');
  return all.every(ok) && all.length + v4Groups === 8;
}

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function parseZone(text: string, defaultOrigin = '.'): Zone {
  const errors: ZoneError[] = [];
  const records: ZoneRecord[] = [];
  let origin = absolute(defaultOrigin, '.');
  let firstOrigin: string | undefined;
  let defaultTtl: number | undefined;
  let lastTtl: number | undefined;
  let owner: string | undefined;
  let apex: string | undefined;

  for (const entry of tokenize(text, errors)) {
    const tokens = [...entry.tokens];
    const first = tokens[0]!;
    const error = (token: Token | undefined, message: string) =>
      errors.push({ line: token?.line ?? entry.line, column: token?.column ?? 1, message });
    if (!first.quoted && first.text.startsWith('$')) {
      const directive = first.text.toUpperCase();
      const arg = tokens[1];
      if (directive === '$ORIGIN') {
        if (!arg) error(first, '$ORIGIN needs a name, e.g. $ORIGIN example.lab.');
        else if (!arg.text.endsWith('.'))
          error(arg, `$ORIGIN ${arg.text} must be absolute: end it with a dot (${arg.text}.)`);
        else {
          const problem = nameProblem(arg.text);
          if (problem) error(arg, problem);
          else origin = arg.text.toLowerCase();
          firstOrigin ??= origin;
        }
      } else if (directive === '$TTL') {
        const ttl = arg ? parseTtl(arg.text) : undefined;
        if (ttl === undefined)
          error(arg ?? first, '$TTL needs a number of seconds (e.g. 3600) or a duration such as 1h');
        else defaultTtl = ttl;
      } else {
        error(first, `${first.text} is not supported here: use $ORIGIN or $TTL`);
      }
      continue;
    }
    if (!entry.blankOwner) {
      const ownerToken = tokens.shift()!;
      const resolved = ownerToken.text === '@' ? origin : absolute(ownerToken.text, origin);
      const problem = nameProblem(resolved);
      if (problem) {
        error(ownerToken, problem);
        continue;
      }
      owner = resolved;
    } else if (owner === undefined) {
      error(first, 'the first record needs an owner name (or @ for the origin) at the start of the line');
      continue;
    }
    let ttl: number | undefined;
    let sawClass = false;
    for (let k = 0; k < 2 && tokens.length > 0; k++) {
      const t = tokens[0]!;
      const asTtl = parseTtl(t.text);
      if (ttl === undefined && asTtl !== undefined) {
        ttl = asTtl;
        tokens.shift();
      } else if (!sawClass && /^(IN|CH|HS)$/i.test(t.text)) {
        if (t.text.toUpperCase() !== 'IN') {
          error(t, `class ${t.text.toUpperCase()}: only IN records are served here`);
        }
        sawClass = true;
        tokens.shift();
      }
    }
    const typeToken = tokens.shift();
    if (!typeToken) {
      error(first, 'the record has no type: write e.g. "www IN A 192.0.2.1"');
      continue;
    }
    const type = typeToken.text.toUpperCase();
    ttl ??= defaultTtl ?? lastTtl;
    if (ttl === undefined) {
      error(typeToken, 'no TTL: put $TTL 3600 at the top, or a TTL before the type');
      continue;
    }
    lastTtl = ttl;
    const rdata = parseRdata(type, typeToken, tokens, origin, error);
    if (!rdata) continue;
    if (rdata.type === 'SOA') apex ??= owner;
    records.push({ ...rdata, name: owner!, ttl, line: typeToken.line });
  }
  return { origin: apex ?? firstOrigin ?? origin, records, errors };
}

function absolute(name: string, origin: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.')) return lower;
  return origin === '.' ? `${lower}.` : `${lower}.${origin}`;
}

function parseRdata(
  type: string,
  typeToken: Token,
  tokens: Token[],
  origin: string,
  error: (token: Token | undefined, message: string) => void,
): ZoneRdata | undefined {
  const want = (n: number, form: string): boolean => {
    if (tokens.length === n) return true;
    error(tokens[n] ?? typeToken, `${type} ${tokens.length < n ? 'needs' : 'takes only'} ${form}`);
    return false;
  };
  const name = (t: Token): string | undefined => {
    const resolved = t.text === '@' ? origin : absolute(t.text, origin);
    const problem = nameProblem(resolved);
    if (problem) error(t, problem);
    return problem ? undefined : resolved;
  };
  const number = (t: Token, what: string, max: number): number | undefined => {
    const n = what === 'preference' ? (/^\d+$/.test(t.text) ? Number(t.text) : undefined) : parseTtl(t.text);
    if (n === undefined || n > max) error(t, `${what} must be a number from 0 to ${max}`);
    return n !== undefined && n <= max ? n : undefined;
  };
  switch (type) {
    case 'A': {
      if (!want(1, 'one IPv4 address, e.g. 192.0.2.1')) return undefined;
      const t = tokens[0]!;
      if (!isIPv4(t.text)) return void error(t, `'${t.text}' is not an IPv4 address (four numbers 0–255 with dots)`);
      return { type, address: t.text };
    }
    case 'AAAA': {
      if (!want(1, 'one IPv6 address, e.g. 2001:db8::1')) return undefined;
      const t = tokens[0]!;
      if (!isIPv6(t.text)) return void error(t, `'${t.text}' is not an IPv6 address (e.g. 2001:db8::1)`);
      return { type, address: t.text.toLowerCase() };
    }
    case 'NS':
    case 'CNAME': {
      if (!want(1, 'one name')) return undefined;
      const n = name(tokens[0]!);
      return n === undefined ? undefined : { type, target: n };
    }
    case 'MX': {
      if (!want(2, 'a preference and a name, e.g. MX 10 mail')) return undefined;
      const preference = number(tokens[0]!, 'preference', 65535);
      const exchange = name(tokens[1]!);
      return preference === undefined || exchange === undefined ? undefined : { type, preference, exchange };
    }
    case 'TXT': {
      if (tokens.length === 0) return void error(typeToken, 'TXT needs at least one string, e.g. TXT "hello"');
      const long = tokens.find((t) => new TextEncoder().encode(t.text).length > 255);
      if (long) return void error(long, 'a TXT string may have at most 255 bytes: split it into several "…" "…"');
      return { type, strings: tokens.map((t) => t.text) };
    }
    case 'SOA': {
      if (!want(7, 'MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM (use ( … ) across lines)')) return undefined;
      const mname = name(tokens[0]!);
      const rname = name(tokens[1]!);
      const nums = tokens
        .slice(2)
        .map((t, i) => number(t, ['serial', 'refresh', 'retry', 'expire', 'minimum'][i]!, 0xffffffff));
      if (mname === undefined || rname === undefined || nums.some((n) => n === undefined)) return undefined;
      const [serial, refresh, retry, expire, minimum] = nums as number[];
      return {
        type,
        mname,
        rname,
        serial: serial!,
        refresh: refresh!,
        retry: retry!,
        expire: expire!,
        minimum: minimum!,
      };
    }
    default:
      error(typeToken, `type ${typeToken.text}: this server serves A, AAAA, NS, CNAME, MX, TXT and SOA`);
      return undefined;
  }
}

/** The zone a new server starts with: the `example.lab.` of the course's figure. */
export const sampleZone = `$ORIGIN example.lab.
$TTL 3600
@       IN SOA  ns1 hostmaster (
                2026010101 ; serial
                7200       ; refresh
                900        ; retry
                1209600    ; expire
                300 )      ; minimum (negative-answer TTL)
@       IN NS   ns1
ns1     IN A    127.0.0.1
@       IN A    127.0.0.1
www     IN CNAME @
mail    IN A    127.0.0.1
@       IN MX   10 mail
@       IN TXT  "v=spf1 mx -all"
ipv6    IN AAAA ::1
`;
