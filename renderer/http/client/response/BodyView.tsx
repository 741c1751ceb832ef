import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { formatByteCount, hexDump, hexDumpRowCount, toVisibleSegments } from '../../../../shared/bytes';
import { Segments } from '../../../transcript/ByteView';
import {
  type BodyKind,
  bodyKind,
  chooseCharset,
  contentTypeOf,
  decodableEncodings,
  decodeText,
  describeBodyTotals,
  prettyJson,
  splitBlocks,
} from './bodyFormat';
import { pageBytes } from './bodyPages';
import type { ExchangeRecord } from '../exchangeState';
import { HtmlPreview } from './HtmlPreview';
import '../../../transcript/transcript.css';

/** Reads bytes [offset, offset + length) of this exchange's body, decoded (Content-Encoding undone) or as received. */
export type ReadBody = (offset: number, length: number, decoded: boolean) => Promise<Uint8Array>;

type BodyMode = 'text' | 'raw' | 'hex' | 'json' | 'image' | 'preview';

const modeLabels: Record<BodyMode, string> = {
  text: 'Text',
  raw: 'Raw bytes',
  hex: 'Hex',
  json: 'JSON',
  image: 'Image',
  preview: 'HTML preview',
};

/** Whole-body views (JSON, image, preview) read the body at once; beyond this they say so instead. */
const wholeBodyLimit = 16 * 1024 * 1024;
/** Bytes per block of the text and raw views: a block is one virtual row, ending after a line feed where it can. */
const blockBytes = 2048;

function modesFor(kind: BodyKind): BodyMode[] {
  const special: BodyMode[] =
    kind === 'json' ? ['json'] : kind === 'image' ? ['image'] : kind === 'html' ? ['preview'] : [];
  const basic: BodyMode[] = kind === 'binary' || kind === 'image' ? ['hex', 'raw', 'text'] : ['text', 'raw', 'hex'];
  return [...special, ...basic];
}

/**
 * The response body in the view that suits it, any other one click away: text in its
 * charset, raw bytes with CR/LF visible, hex, pretty JSON, an image, or an HTML
 * preview in a sandboxed frame. A compressed body is shown decoded, with the bytes as
 * received one click away. Large bodies are shown a page (1 MiB) at a time and only
 * the rows on screen are rendered; the bytes come from the Node side on demand.
 */
export function BodyView({ exchange, read }: { exchange: ExchangeRecord; read: ReadBody }) {
  const id = useId();
  const fields = exchange.response?.fields ?? [];
  const contentType = contentTypeOf(fields);
  const kind = bodyKind(contentType.mediaType);
  const { body } = exchange;
  const compressed = body.encodings.length > 0;
  const canDecode = compressed && body.encodings.every((coding) => decodableEncodings.includes(coding));
  const [asReceived, setAsReceived] = useState(false);
  // Compressed bytes are not text: as received they are shown as bytes only.
  const modes: BodyMode[] = compressed && (asReceived || !canDecode) ? ['hex', 'raw'] : modesFor(kind);
  const [chosenMode, setMode] = useState<BodyMode | undefined>();
  const mode = chosenMode && modes.includes(chosenMode) ? chosenMode : (modes[0] as BodyMode);
  // A decode error part way still leaves the bytes before it readable.
  const decodedReady =
    canDecode && body.decodedLength !== undefined && (body.decodedLength > 0 || body.decodeError === undefined);
  const decoded = compressed && decodedReady && !asReceived;
  const available = decoded ? (body.decodedLength ?? 0) : body.kept;
  const [page, setPage] = useState(0);
  const pageCount = Math.max(1, Math.ceil(available / pageBytes));
  const shownPage = Math.min(page, pageCount - 1);
  const charset = chooseCharset(contentType);

  if (!exchange.response) return null;
  if (exchange.response.framing.kind === 'none' || (body.complete && body.received === 0)) {
    return <p className="body-note">No body ({describeNoBody(exchange)}).</p>;
  }

  if (body.forgotten) {
    return (
      <p className="body-note">
        This body is no longer kept: the app keeps the latest 200 responses and 512 MiB of bodies. Send the request
        again to see it.
      </p>
    );
  }

  const readPart: ReadBody = (offset, length) => read(offset, length, decoded);
  const start = shownPage * pageBytes;
  const pageLength = Math.min(pageBytes, available - start);
  let view: ReactNode;
  if (
    compressed &&
    !decoded &&
    !asReceived &&
    (mode === 'json' || mode === 'image' || mode === 'preview' || mode === 'text')
  ) {
    view = <p className="body-note">{decodeWaitText(exchange, canDecode)}</p>;
  } else if (mode === 'json' || mode === 'image' || mode === 'preview') {
    view = (
      <WholeBody read={readPart} length={available} complete={body.complete} decodedKey={`${exchange.id}:${decoded}`}>
        {(bytes) =>
          mode === 'json' ? (
            <JsonView bytes={bytes} />
          ) : mode === 'image' ? (
            <ImageView bytes={bytes} mediaType={contentType.mediaType} />
          ) : (
            <HtmlPreview html={decodeText(bytes, charset.charset)} />
          )
        }
      </WholeBody>
    );
  } else {
    view = (
      <PageBytes read={readPart} offset={start} length={pageLength} viewKey={`${exchange.id}:${decoded}:${shownPage}`}>
        {(bytes) =>
          mode === 'hex' ? (
            <HexRows bytes={bytes} offset={start} />
          ) : (
            <TextBlocks bytes={bytes} offset={start} charset={mode === 'raw' ? undefined : charset.charset} />
          )
        }
      </PageBytes>
    );
  }

  return (
    <section className="body-view" aria-labelledby={`${id}-title`}>
      <div className="body-bar">
        <h3 id={`${id}-title`}>Body</h3>
        <fieldset className="segmented">
          <legend>Show as</legend>
          {modes.map((m) => (
            <label key={m}>
              <input type="radio" name={`${id}-mode`} checked={mode === m} onChange={() => setMode(m)} />
              {modeLabels[m]}
            </label>
          ))}
        </fieldset>
        {compressed && (
          <fieldset className="segmented">
            <legend>Content-Encoding {body.encodings.join(', ')}</legend>
            <label>
              <input
                type="radio"
                name={`${id}-coding`}
                checked={canDecode && !asReceived}
                disabled={!canDecode}
                onChange={() => setAsReceived(false)}
              />
              {canDecode ? 'Decoded' : 'Decoded (the viewer cannot undo this coding)'}
            </label>
            <label>
              <input
                type="radio"
                name={`${id}-coding`}
                checked={asReceived || !canDecode}
                onChange={() => setAsReceived(true)}
              />
              As received (compressed)
            </label>
          </fieldset>
        )}
      </div>
      <p className="body-note">
        {describeBodyTotals(body, decoded)}
        {charset.note && (mode === 'text' || mode === 'preview') ? ` ${charset.note}` : ''}
      </p>
      {pageCount > 1 && mode !== 'json' && mode !== 'image' && mode !== 'preview' && (
        <div className="body-pager">
          <button type="button" disabled={shownPage === 0} onClick={() => setPage(shownPage - 1)}>
            Previous MiB
          </button>
          <span className="mono">
            bytes {start.toLocaleString('en')}–{(start + pageLength - 1).toLocaleString('en')} of{' '}
            {available.toLocaleString('en')} (page {shownPage + 1} of {pageCount})
          </span>
          <button type="button" disabled={shownPage >= pageCount - 1} onClick={() => setPage(shownPage + 1)}>
            Next MiB
          </button>
        </div>
      )}
      {shownPage > 0 && (mode === 'text' || mode === 'raw') && (
        <p className="body-note">
          This page starts at byte {start.toLocaleString('en')}, which can be the middle of a line (or of a character,
          shown as \xNN in Raw bytes): its start is on the previous page.
        </p>
      )}
      {view}
    </section>
  );
}

function describeNoBody(exchange: ExchangeRecord): string {
  const framing = exchange.response?.framing;
  if (framing?.kind !== 'none') return 'the server sent none';
  return {
    'head-request': 'an answer to HEAD has none',
    'no-content': '204 has none',
    'not-modified': '304: use the copy you have',
    interim: 'interim response',
    'no-length': 'no Content-Length or Transfer-Encoding',
  }[framing.because];
}

function decodeWaitText(exchange: ExchangeRecord, canDecode: boolean): string {
  const { body } = exchange;
  if (!canDecode) {
    return `This body is compressed with ${body.encodings.join(', ')}, which the viewer cannot undo: choose "As received".`;
  }
  if (body.decodeError)
    return `Could not decompress the body: ${body.decodeError}. Choose "As received" to see the bytes.`;
  return body.complete ? 'Decompressing…' : 'The decoded body is shown once all of it has arrived.';
}

type Loaded = { key: string; bytes: Uint8Array } | { key: string; error: string };

/** Fetches [offset, offset + length) and renders it; keeps the previous bytes on screen while the next load. */
function PageBytes(props: {
  read: ReadBody;
  offset: number;
  length: number;
  viewKey: string;
  children: (bytes: Uint8Array) => ReactNode;
}) {
  const { read, offset, length, viewKey } = props;
  const key = `${viewKey}:${length}`;
  const loaded = useLoaded(key, `${viewKey}:`, () => read(offset, Math.max(0, length), false));
  if (length <= 0) return <p className="body-note">Nothing received yet.</p>;
  if (!loaded) return <p className="body-note">Loading…</p>;
  if ('error' in loaded) return <p className="control-error">{loaded.error}</p>;
  return <>{props.children(loaded.bytes)}</>;
}

function WholeBody(props: {
  read: ReadBody;
  length: number;
  complete: boolean;
  decodedKey: string;
  children: (bytes: Uint8Array) => ReactNode;
}) {
  const { read, length, complete } = props;
  const tooLarge = length > wholeBodyLimit;
  const key = `${props.decodedKey}:${complete ? length : 'partial'}`;
  const loaded = useLoaded(key, key, () => (complete && !tooLarge ? read(0, length, false) : undefined));
  if (!complete) return <p className="body-note">Shown once the whole body has arrived.</p>;
  if (tooLarge) {
    return (
      <p className="body-note">
        The body is {formatByteCount(length)}: too large for this view (up to {formatByteCount(wholeBodyLimit)}). Use
        Text, Raw bytes or Hex.
      </p>
    );
  }
  if (!loaded) return <p className="body-note">Loading…</p>;
  if ('error' in loaded) return <p className="control-error">{loaded.error}</p>;
  return <>{props.children(loaded.bytes)}</>;
}

/**
 * The latest load for `key`. While it loads, an earlier result whose key starts with
 * `sameView` stays on screen (a page that grew), so a filling page does not flash.
 */
function useLoaded(key: string, sameView: string, load: () => Promise<Uint8Array> | undefined): Loaded | undefined {
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let current = true;
    const pending = latest.current();
    if (!pending) return;
    pending.then(
      (bytes) => {
        if (current) setLoaded({ key, bytes });
      },
      (error: unknown) => {
        if (current)
          setLoaded({
            key,
            error: `Could not read the body: ${error instanceof Error ? error.message : String(error)}`,
          });
      },
    );
    return () => {
      current = false;
    };
  }, [key]);
  return loaded?.key.startsWith(sameView) ? loaded : undefined;
}

const rowHeight = 20;

/** As tall as the content up to 24rem, so a two-byte body does not get a screenful of empty box. */
function fitHeight(contentPx: number): { height: string } {
  return { height: `min(24rem, ${Math.ceil(contentPx) + 2}px)` };
}

function HexRows({ bytes, offset }: { bytes: Uint8Array; offset: number }) {
  const scroller = useRef<HTMLDivElement>(null);
  const count = hexDumpRowCount(bytes.length);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const rows = hexDump(bytes, { offset, firstRow: first, rowCount: items.length });
  return (
    <div
      ref={scroller}
      className="body-scroll"
      tabIndex={0}
      aria-label="Body as hex"
      style={fitHeight(virtualizer.getTotalSize())}
    >
      <div className="body-space" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item, i) => {
          const row = rows[i];
          if (!row) return null;
          return (
            <div key={item.key} className="hex-row mono" style={{ transform: `translateY(${item.start}px)` }}>
              <span className="hex-offset">{row.offsetText}</span> <span className="hex-bytes">{row.hex}</span>{' '}
              <span className="hex-ascii">{row.ascii}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

/**
 * Text (in `charset`) or raw bytes (`charset` undefined: CR, LF and every other invisible
 * byte shown by name) in blocks of about 2 KiB that end after a line feed: one virtual
 * row per block, measured once drawn.
 */
function TextBlocks({ bytes, offset, charset }: { bytes: Uint8Array; offset: number; charset: string | undefined }) {
  const scroller = useRef<HTMLDivElement>(null);
  const blocks = useMemo(() => splitBlocks(bytes, blockBytes), [bytes]);
  const virtualizer = useVirtualizer({
    count: blocks.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 60,
    overscan: 4,
  });
  return (
    <div
      ref={scroller}
      className={`body-scroll ${charset ? 'is-text' : 'is-raw'}`}
      tabIndex={0}
      aria-label={charset ? 'Body as text' : 'Body as raw bytes'}
      data-offset={offset}
      style={fitHeight(virtualizer.getTotalSize())}
    >
      <div className="body-space" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const block = blocks[item.index];
          if (!block) return null;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="text-block"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <Block bytes={bytes.subarray(block.start, block.end)} charset={charset} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

const Block = memo(function Block({ bytes, charset }: { bytes: Uint8Array; charset: string | undefined }) {
  if (charset) return <>{decodeText(bytes, charset)}</>;
  return <Segments segments={toVisibleSegments(bytes)} />;
});

function JsonView({ bytes }: { bytes: Uint8Array }) {
  const pretty = useMemo(() => prettyJson(decodeText(bytes, 'utf-8')), [bytes]);
  const lines = useMemo(() => (pretty.ok ? pretty.text.split('\n') : []), [pretty]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 20,
  });
  if (!pretty.ok) return <p className="control-error">{pretty.message}. Choose Text to see it as sent.</p>;
  return (
    <div
      ref={scroller}
      className="body-scroll is-json"
      tabIndex={0}
      aria-label="Body as JSON"
      style={fitHeight(virtualizer.getTotalSize())}
    >
      <div className="body-space" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.key} className="json-line mono" style={{ transform: `translateY(${item.start}px)` }}>
            {lines[item.index]}
          </div>
        ))}
      </div>
    </div>
  );
}

function ImageView({ bytes, mediaType }: { bytes: Uint8Array; mediaType: string }) {
  const [url, setUrl] = useState<string | undefined>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const created = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mediaType }));
    setUrl(created);
    setFailed(false);
    return () => URL.revokeObjectURL(created);
  }, [bytes, mediaType]);
  if (!url) return null;
  return (
    <div className="image-view">
      {failed ? (
        <p className="control-error">These bytes are not an image the browser can show as {mediaType}.</p>
      ) : (
        <img
          src={url}
          alt={`The response body (${mediaType}, ${formatByteCount(bytes.length)})`}
          onError={() => setFailed(true)}
        />
      )}
    </div>
  );
}
