import { memo } from 'react';
import type { HttpChunk } from '../../../../shared/http/client/contract';

/** Rows drawn at most: a long chunked stream can bring thousands, the count says the rest. */
const maxRows = 200;

/**
 * A chunked body's framing, which the body views leave out: each chunk-size line
 * exactly as received (hex size and any extensions), its size in bytes, and the
 * extensions split into name and value. The last line, size 0, ends the body.
 */
export const ChunkList = memo(function ChunkList({ chunks, total }: { chunks: readonly HttpChunk[]; total: number }) {
  if (total === 0) return null;
  const rows = chunks.slice(0, maxRows);
  const unlisted = total - rows.length;
  return (
    <details className="chunk-list">
      <summary>
        Chunked framing: {total} chunk-size {total === 1 ? 'line' : 'lines'} (sizes in hex, extensions)
      </summary>
      <table className="headers-table chunks-table">
        <caption>Chunks</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Size line as received</th>
            <th scope="col">Bytes</th>
            <th scope="col">Extensions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((chunk, index) => (
            <tr key={chunk.offset}>
              <td className="header-index">{index + 1}</td>
              <td className="mono">{chunk.line}</td>
              <td className="mono">
                {chunk.size.toLocaleString('en')}
                {chunk.size === 0 && <span className="header-tag">last</span>}
              </td>
              <td className="mono">
                {chunk.extensions
                  .map((extension) =>
                    extension.value === undefined ? extension.name : `${extension.name}=${extension.value}`,
                  )
                  .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {unlisted > 0 && (
        <p className="body-note">
          {unlisted.toLocaleString('en')} more chunk-size {unlisted === 1 ? 'line' : 'lines'} not listed here (counted).
        </p>
      )}
    </details>
  );
});
