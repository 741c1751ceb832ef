import { memo, useId, useLayoutEffect, useRef, useState } from 'react';
import { formatByteCount, hexDump } from '../../shared/bytes';
import { useFrameStore } from '../net/useStore';
import { Segments } from './ByteView';
import type { TranscriptModel, TranscriptRow, TranscriptViewMode } from './model';
import { directionLabel, formatElapsed, rowSegments, rttLabel, sizeLabel } from './rowFormat';
import './transcript.css';

/** Rows rendered at first; older ones come on request, so a long stream costs a bounded DOM. */
const windowStep = 200;
/**
 * Bytes of one row shown before "Show all": a 256 KiB chunk must not freeze the page.
 * 1 KiB (about 18 lines of a line protocol): a flood's first render lays out every
 * shown row at once, and at 4 KiB each (~300 elements a row) that one task took
 * 100-240 ms on the 2-core machine.
 */
const previewBytes = 1024;
const previewHexRows = 64;

interface TranscriptViewProps {
  model: TranscriptModel;
  /** The log's visible heading and accessible name. */
  label?: string;
  emptyText?: string;
}

/**
 * A transcript as a `role="log"`: one line per event with time since start,
 * direction, size, round trip and the bytes (text with visible control glyphs, or
 * hex). Re-renders at most once a frame; rows are memoised, so a new chunk renders
 * one new row, not the whole list.
 */
export function TranscriptView({ model, label = 'Transcript', emptyText = 'Nothing yet.' }: TranscriptViewProps) {
  const snapshot = useFrameStore(model);
  const id = useId();
  const [windowSize, setWindowSize] = useState(windowStep);
  const [copyStatus, setCopyStatus] = useState<{ ok: boolean; text: string } | undefined>();
  const log = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  const { rows, viewMode } = snapshot;
  const first = Math.max(0, rows.length - windowSize);
  const shown = first === 0 ? rows : rows.slice(first);

  useLayoutEffect(() => {
    const element = log.current;
    if (element && atBottom.current && snapshot.version >= 0) element.scrollTop = element.scrollHeight;
  }, [snapshot]);

  const copy = async () => {
    const text = model.toText();
    try {
      if (!navigator.clipboard) throw new Error('this page has no clipboard access');
      await navigator.clipboard.writeText(text);
      setCopyStatus({ ok: true, text: `Copied ${rows.length} ${rows.length === 1 ? 'line' : 'lines'}.` });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      setCopyStatus({ ok: false, text: `Could not copy: ${reason}. Select the lines and copy them instead.` });
    }
  };

  return (
    <div className="transcript">
      <div className="transcript-bar">
        <h3 id={`${id}-label`} className="transcript-title">
          {label}
        </h3>
        <fieldset className="segmented">
          <legend>Show bytes as</legend>
          {(['text', 'hex'] as const).map((mode) => (
            <label key={mode}>
              <input
                type="radio"
                name={`${id}-mode`}
                value={mode}
                checked={viewMode === mode}
                onChange={() => model.setViewMode(mode)}
              />
              {mode === 'text' ? 'Text' : 'Hex'}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={copy} disabled={rows.length === 0}>
          Copy as text
        </button>
        <button
          type="button"
          onClick={() => {
            model.clear();
            setCopyStatus(undefined);
          }}
          disabled={rows.length === 0 && snapshot.droppedRows === 0}
        >
          Clear transcript
        </button>
        <span role="status" className={copyStatus?.ok === false ? 'copy-status is-error' : 'copy-status'}>
          {copyStatus?.text}
        </span>
      </div>
      <div
        ref={log}
        role="log"
        aria-labelledby={`${id}-label`}
        // A scrolling region must be reachable to scroll it by keyboard.
        tabIndex={0}
        className="transcript-log"
        onScroll={(event) => {
          const element = event.currentTarget;
          atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
        }}
      >
        {snapshot.droppedRows > 0 && (
          <p className="transcript-notice">
            {snapshot.droppedRows.toLocaleString('en')} earlier lines are no longer kept here, so a long stream stays
            fast.
          </p>
        )}
        {first > 0 && (
          <button type="button" className="transcript-more" onClick={() => setWindowSize((size) => size + windowStep)}>
            Show {Math.min(windowStep, first)} earlier lines ({first.toLocaleString('en')} not shown)
          </button>
        )}
        {rows.length === 0 ? (
          <p className="transcript-empty">{emptyText}</p>
        ) : (
          <ol className="transcript-rows">
            {shown.map((row) => (
              <Row key={row.id} row={row} mode={viewMode} anchor={`${model.key}-${row.id}`} />
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

const Row = memo(function Row({ row, mode, anchor }: { row: TranscriptRow; mode: TranscriptViewMode; anchor: string }) {
  const [expanded, setExpanded] = useState(false);
  const size = sizeLabel(row);
  const rtt = rttLabel(row);
  return (
    <li className={`t-row t-${row.direction} t-tone-${row.tone}`} data-row={anchor}>
      <span className="t-time">{formatElapsed(row.elapsedMs)}</span>
      <span className="t-dir">{directionLabel(row.direction)}</span>
      <span className="t-body">
        <span className="t-meta">
          {row.party && <span className="t-party">{row.party}</span>}
          {size && <span className="t-size">{size}</span>}
          {row.seq !== undefined && <span className="t-seq">#{row.seq}</span>}
          {rtt && <span className="t-rtt">{rtt}</span>}
          {row.note && <span className="t-note">{row.note}</span>}
        </span>
        {row.data && <RowBytes row={row} mode={mode} expanded={expanded} onExpand={() => setExpanded(true)} />}
      </span>
    </li>
  );
});

function RowBytes(props: { row: TranscriptRow; mode: TranscriptViewMode; expanded: boolean; onExpand: () => void }) {
  const { row, mode, expanded } = props;
  const data = row.data as Uint8Array;
  const more =
    row.notKept > 0 ? (
      <span className="t-notkept">
        … {formatByteCount(row.notKept)} not kept (beyond what this session keeps; they were still counted)
      </span>
    ) : null;
  if (data.length === 0 && row.leadIn.length === 0) {
    return <span className="t-bytes t-empty">(no bytes){more}</span>;
  }
  if (mode === 'hex') {
    const rowCount = expanded ? undefined : previewHexRows;
    const dump = hexDump(data, rowCount === undefined ? {} : { rowCount });
    const hidden = data.length - dump.reduce((sum, line) => sum + line.bytes.length, 0);
    return (
      <span className="t-bytes t-hex">
        {dump.map((line) => `${line.offsetText}: ${line.hex}  ${line.ascii}`).join('\n')}
        {hidden > 0 && <ShowAll bytes={hidden} onExpand={props.onExpand} />}
        {more}
      </span>
    );
  }
  const limit = expanded ? Number.POSITIVE_INFINITY : previewBytes;
  const segments = rowSegments(row, limit);
  const shownBytes = segments.reduce((sum, segment) => sum + segment.bytes.length, 0);
  const hidden = data.length + row.leadIn.length - row.heldBytes - shownBytes;
  return (
    <span className="t-bytes">
      <Segments segments={segments} />
      {row.heldBytes > 0 && (
        <abbr
          className="glyph glyph-held"
          title={`${row.heldBytes} ${row.heldBytes === 1 ? 'byte starts' : 'bytes start'} a character that the next chunk finishes; it is shown there`}
        >
          ⋯
        </abbr>
      )}
      {hidden > 0 && <ShowAll bytes={hidden} onExpand={props.onExpand} />}
      {more}
    </span>
  );
}

function ShowAll({ bytes, onExpand }: { bytes: number; onExpand: () => void }) {
  return (
    <button type="button" className="t-showall" onClick={onExpand}>
      Show {formatByteCount(bytes)} more
    </button>
  );
}
