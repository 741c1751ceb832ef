/**
 * Internationalised names (IDNA): a name with non-ASCII letters goes on the wire as
 * `xn--` labels (Punycode, RFC 3492). To ASCII through the WHATWG URL parser, which
 * browsers and Node both have (UTS #46 mapping included); back to Unicode with a small
 * Punycode decoder, so both forms can be shown.
 */

type UrlConstructor = new (input: string) => { hostname: string };
const URLClass = (globalThis as unknown as { URL: UrlConstructor }).URL;

export type IdnaResult = { ok: true; ascii: string; unicode: string } | { ok: false; message: string };

/** `bücher.example` → `xn--bcher-kva.example`; ASCII names are kept as typed (case and `_` included). */
export function toAsciiName(name: string): IdnaResult {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(name)) return { ok: true, ascii: name, unicode: toUnicodeName(name) };
  const trailingDot = name.endsWith('.') ? '.' : '';
  try {
    const hostname = new URLClass(`http://${name.replace(/\.$/, '')}/`).hostname;
    if (hostname.startsWith('[')) return { ok: false, message: `'${name}' is not a host name` };
    return { ok: true, ascii: hostname + trailingDot, unicode: name };
  } catch {
    return {
      ok: false,
      message: `'${name}' cannot be converted with IDNA (it has characters a host name may not contain)`,
    };
  }
}

/** `xn--bcher-kva.example` → `bücher.example`; labels that do not decode are kept. */
export function toUnicodeName(name: string): string {
  return name
    .split('.')
    .map((label) => {
      if (!/^xn--/i.test(label)) return label;
      const decoded = punycodeDecode(label.slice(4).toLowerCase());
      return decoded ?? label;
    })
    .join('.');
}

const base = 36;
const tMin = 1;
const tMax = 26;
const skew = 38;
const damp = 700;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let d = firstTime ? Math.floor(delta / damp) : delta >> 1;
  d += Math.floor(d / numPoints);
  let k = 0;
  for (let guard = 0; d > ((base - tMin) * tMax) >> 1 && guard < 64; guard++) {
    d = Math.floor(d / (base - tMin));
    k += base;
  }
  return k + Math.floor(((base - tMin + 1) * d) / (d + skew));
}

function digit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 22;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  return base;
}

/** RFC 3492 decoding; undefined for input that is not valid Punycode. Bounded by the input's length. */
export function punycodeDecode(input: string): string | undefined {
  const output: number[] = [];
  const delimiter = input.lastIndexOf('-');
  for (let j = 0; j < Math.max(delimiter, 0); j++) {
    if (input.charCodeAt(j) >= 0x80) return undefined;
    output.push(input.charCodeAt(j));
  }
  let n = 128;
  let bias = 72;
  let i = 0;
  for (let index = delimiter > 0 ? delimiter + 1 : 0; index < input.length;) {
    const oldi = i;
    let w = 1;
    for (let k = base; ; k += base) {
      if (index >= input.length) return undefined;
      const d = digit(input.charCodeAt(index++));
      if (d >= base) return undefined;
      i += d * w;
      if (i > 0x10ffff * (output.length + 1)) return undefined;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (d < t) break;
      w *= base - t;
    }
    bias = adapt(i - oldi, output.length + 1, oldi === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > 0x10ffff) return undefined;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}
