import type { DnsField, DnsPointer } from '../../../shared/dns/dissect';

/**
 * The message's bytes, 16 a row, each byte belonging to a field: clicking a byte selects
 * its field (and the field list highlights it), selecting a field highlights its bytes.
 * Compression pointers are drawn as `c0 0c → 12` with the name found there.
 */
export function HexMap({
  bytes,
  fields,
  pointers,
  selected,
  onSelect,
  label,
}: {
  bytes: Uint8Array;
  fields: readonly DnsField[];
  pointers: readonly DnsPointer[];
  selected: string | undefined;
  onSelect: (id: string) => void;
  label: string;
}) {
  const owner: (DnsField | undefined)[] = new Array<DnsField | undefined>(bytes.length);
  for (const f of fields) for (let i = f.offset; i < f.offset + f.length && i < bytes.length; i++) owner[i] ??= f;
  const sel = fields.find((f) => f.id === selected);
  const pointerAt = new Map(pointers.map((p) => [p.at, p]));
  const targetOfSelected = sel && sel.name.endsWith('pointer') ? pointerAt.get(sel.offset)?.target : undefined;
  const rows: number[] = [];
  for (let r = 0; r < bytes.length; r += 16) rows.push(r);
  return (
    <div className="dns-hex" role="group" aria-label={label}>
      {rows.map((start) => (
        <div className="dns-hex-row" key={start}>
          <span className="dns-hex-offset">{start.toString().padStart(4, ' ')}</span>
          {Array.from(bytes.subarray(start, start + 16), (b, k) => {
            const i = start + k;
            const f = owner[i];
            const inSel = sel !== undefined && i >= sel.offset && i < sel.offset + sel.length;
            const isTarget = targetOfSelected === i;
            const pointer = pointerAt.has(i) || pointerAt.has(i - 1);
            return (
              <button
                type="button"
                key={i}
                className={`dns-byte dns-${f?.section ?? 'none'}${inSel ? ' dns-selected' : ''}${pointer ? ' dns-pointer' : ''}${isTarget ? ' dns-target' : ''}`}
                title={f ? `offset ${i}: ${f.group} · ${f.name} = ${f.value}` : `offset ${i}`}
                aria-label={`byte ${i}: ${b.toString(16).padStart(2, '0')}${f ? `, ${f.group} ${f.name}` : ''}`}
                aria-pressed={inSel}
                onClick={() => f && onSelect(f.id)}
              >
                {b.toString(16).padStart(2, '0')}
              </button>
            );
          })}
        </div>
      ))}
      {pointers.length > 0 && (
        <ul className="dns-pointers" aria-label="Compression pointers">
          {pointers.map((p) => (
            <li key={`${p.at}-${p.target}`}>
              <code>
                {bytes[p.at]?.toString(16).padStart(2, '0')} {bytes[p.at + 1]?.toString(16).padStart(2, '0')}
              </code>{' '}
              at offset {p.at} → offset {p.target} → <code>{p.name}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The fields in byte order: offset, length, name, value; a selected field is highlighted. */
export function FieldTable({
  fields,
  selected,
  onSelect,
  label,
}: {
  fields: readonly DnsField[];
  selected: string | undefined;
  onSelect: (id: string) => void;
  label: string;
}) {
  return (
    <table className="dns-fields" aria-label={label}>
      <thead>
        <tr>
          <th>Offset</th>
          <th>Bytes</th>
          <th>Part</th>
          <th>Field</th>
          <th>Value</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr
            key={f.id}
            className={f.id === selected ? 'dns-selected' : undefined}
            onClick={() => onSelect(f.id)}
            aria-selected={f.id === selected}
          >
            <td className="mono">{f.offset}</td>
            <td className="mono">{f.length}</td>
            <td>{f.group}</td>
            <td>
              <button type="button" className="link-button" onClick={() => onSelect(f.id)}>
                {f.name}
              </button>
            </td>
            <td>
              <span className="mono">{f.value}</span>
              {f.meaning && <span className="field-hint"> — {f.meaning}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
