import type { DnsField, DnsName, DnsPointer, DnsSection, DnsViolation } from './model';

/** Hops through pointers one name may take; each hop must go backwards, so this is never reached in practice. */
const maxPointerHops = 128;

export interface NameContext {
  bytes: Uint8Array;
  fields: DnsField[];
  pointers: DnsPointer[];
  violations: DnsViolation[];
}

export interface FieldPlace {
  section: DnsSection;
  group: string;
  /** Prefix of the field ids, e.g. `answer.0.name`. */
  id: string;
  /** What the name is called in its record: NAME, QNAME, NSDNAME, EXCHANGE… */
  label: string;
}

const utf8 = new TextDecoder('utf-8');

/** One label in presentation form: `.`, `\`, spaces and non-printable bytes escaped as dig does. */
export function labelText(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x2e || b === 0x5c || b === 0x22 || b === 0x28 || b === 0x29 || b === 0x3b || b === 0x40 || b === 0x24) {
      out += '\\' + String.fromCharCode(b);
    } else if (b > 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\' + String(b).padStart(3, '0');
  }
  return out;
}

/**
 * Reads a (possibly compressed) name at `start`. Never throws and never loops: a pointer
 * is followed only when it points before the run of labels it ends, so every hop goes
 * backwards. Answers the name, or undefined when it cannot be read (a violation says why).
 */
export function readName(ctx: NameContext, start: number, place: FieldPlace): DnsName | undefined {
  const { bytes } = ctx;
  const labels: string[] = [];
  const texts: string[] = [];
  const pointers: DnsPointer[] = [];
  let pos = start;
  let runStart = start;
  let jumped = false;
  let length = 0;
  let wire = 0;
  let hops = 0;
  let labelIndex = 0;
  const fail = (violation: DnsViolation) => {
    ctx.violations.push(violation);
    return undefined;
  };
  for (;;) {
    if (pos >= bytes.length) {
      return fail({
        code: 'truncated',
        offset: pos,
        message: `truncated: the ${place.label} at offset ${start} runs past the end of the message (${bytes.length} bytes)`,
      });
    }
    const len = bytes[pos]!;
    if (len === 0) {
      wire += 1;
      if (!jumped) {
        length += 1;
        ctx.fields.push({
          id: `${place.id}.root`,
          section: place.section,
          group: place.group,
          name: `${place.label}: end`,
          offset: pos,
          length: 1,
          value: '0 (the root: end of name)',
        });
      }
      break;
    }
    const top = len & 0xc0;
    if (top === 0xc0) {
      if (pos + 1 >= bytes.length) {
        return fail({
          code: 'truncated',
          offset: pos,
          message: `truncated: the compression pointer at offset ${pos} needs 2 bytes but the message ends`,
        });
      }
      const target = ((len & 0x3f) << 8) | bytes[pos + 1]!;
      const hex = `${len.toString(16).padStart(2, '0')} ${bytes[pos + 1]!.toString(16).padStart(2, '0')}`;
      let problem: DnsViolation | undefined;
      if (target >= bytes.length) {
        problem = {
          code: 'pointer-out-of-range',
          offset: pos,
          message: `pointer ${hex} at offset ${pos} points to offset ${target}, past the end of the ${bytes.length}-byte message`,
        };
      } else if (target >= runStart && target <= pos) {
        problem = {
          code: 'pointer-loop',
          offset: pos,
          message: `pointer loop: ${hex} at offset ${pos} points to offset ${target}, back into the same name, which would repeat forever`,
        };
      } else if (target > pos) {
        problem = {
          code: 'pointer-forward',
          offset: pos,
          message: `pointer ${hex} at offset ${pos} points forward to offset ${target}; a pointer must point to a name earlier in the message`,
        };
      } else if (++hops > maxPointerHops) {
        problem = { code: 'pointer-loop', offset: pos, message: `more than ${maxPointerHops} pointers in one name` };
      }
      if (!jumped) {
        length += 2;
        ctx.fields.push({
          id: `${place.id}.pointer`,
          section: place.section,
          group: place.group,
          name: `${place.label}: pointer`,
          offset: pos,
          length: 2,
          value: `${hex} → offset ${target}`,
          meaning: 'compression: the rest of the name is the one written at that offset',
        });
      }
      if (problem) return fail(problem);
      pointers.push({ at: pos, target, name: '' });
      jumped = true;
      pos = target;
      runStart = target;
      continue;
    }
    if (top !== 0) {
      return fail({
        code: 'label-too-long',
        offset: pos,
        message: `label length byte 0x${len.toString(16)} (${len}) at offset ${pos} is over 63; the top bits ${top === 0x40 ? '01' : '10'} are reserved`,
      });
    }
    if (pos + 1 + len > bytes.length) {
      return fail({
        code: 'truncated',
        offset: pos,
        message: `truncated: a ${len}-byte label starts at offset ${pos} but the message ends at ${bytes.length}`,
      });
    }
    wire += len + 1;
    if (wire + 1 > 255) {
      return fail({
        code: 'name-too-long',
        offset: pos,
        message: `the ${place.label} at offset ${start} is longer than the 255 bytes a name may have`,
      });
    }
    const raw = bytes.subarray(pos + 1, pos + 1 + len);
    const text = labelText(raw);
    labels.push(utf8.decode(raw));
    texts.push(text);
    if (!jumped) {
      length += len + 1;
      ctx.fields.push({
        id: `${place.id}.label.${labelIndex}`,
        section: place.section,
        group: place.group,
        name: `${place.label}: label`,
        offset: pos,
        length: len + 1,
        value: `${len} "${text}"`,
      });
      labelIndex++;
    }
    pos += len + 1;
  }
  const joined = texts.length === 0 ? '.' : texts.join('.') + '.';
  // Each pointer's name is the rest of the name from where it points.
  for (const pointer of pointers) {
    pointer.name = nameFrom(ctx.bytes, pointer.target);
    ctx.pointers.push(pointer);
  }
  return { text: joined, labels, offset: start, length, wireLength: wire, pointers };
}

/** The name at an offset already read once (so it is well-formed), for a pointer's label. */
function nameFrom(bytes: Uint8Array, start: number): string {
  const texts: string[] = [];
  let pos = start;
  for (let guard = 0; guard < 256 && pos < bytes.length; guard++) {
    const len = bytes[pos]!;
    if (len === 0) break;
    if ((len & 0xc0) === 0xc0) {
      pos = ((len & 0x3f) << 8) | (bytes[pos + 1] ?? 0);
      continue;
    }
    texts.push(labelText(bytes.subarray(pos + 1, pos + 1 + len)));
    pos += len + 1;
  }
  return texts.length === 0 ? '.' : texts.join('.') + '.';
}
