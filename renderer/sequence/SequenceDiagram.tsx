import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { formatByteCount, formatDuration } from '../../shared/bytes';
import { downloadBlob, downloadText } from '../app/download';
import type { TranscriptModel } from '../transcript/model';
import {
  fitPxPerMs,
  layoutSequence,
  previewText,
  type SequenceEvent,
  type SequenceLayout,
  type SequenceSource,
  timeScale,
  toMermaid,
} from './layout';
import './sequence.css';

/** One transcript that feeds the diagram: its server lane's heading and its rows. */
export interface SequenceInput {
  readonly label: string;
  readonly model: TranscriptModel;
}

const top = 56;
const bottomPad = 32;
const axisX = 64;
const clientX = 190;
const laneGap = 300;
const fitHeight = 420;
const maxHeight = 400_000;
const font = 'system-ui, sans-serif';
const colours = {
  out: '#1f5fbf',
  back: '#1b7f3b',
  system: '#6b6b6b',
  close: '#b3261e',
  rtt: '#8a4fbf',
  text: '#1d1d1f',
  lifeline: '#9a9a9a',
};

/**
 * A collapsible "Sequence diagram" under a client's transcript: nothing is laid out or
 * drawn until it is opened, so a page does not grow or slow down for it.
 */
export function SequenceSection(props: {
  /** One conversation with one server lane… */
  model?: TranscriptModel;
  /** …or several (an HTTP client's connections); keep the array stable between renders. */
  inputs?: readonly SequenceInput[];
  note?: string;
}) {
  const { model, note } = props;
  const [open, setOpen] = useState(false);
  const single = useMemo(() => (model ? [{ label: 'Server', model }] : []), [model]);
  const inputs = props.inputs ?? single;
  return (
    <details className="sequence" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Sequence diagram</summary>
      {open && <SequenceDiagram inputs={inputs} note={note} />}
    </details>
  );
}

/** Re-renders at most ~5 times a second however busy the transcripts are. */
function useInputsVersion(inputs: readonly SequenceInput[]): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bump = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, 200);
    };
    const offs = inputs.map((input) => input.model.subscribe(bump));
    bump();
    return () => {
      for (const off of offs) off();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [inputs]);
  return version;
}

/** The sources on one time line: each transcript's start placed by its wall-clock stamp. */
export function toSources(inputs: readonly SequenceInput[]): SequenceSource[] {
  const starts = inputs.map((input) => {
    const first = input.model.state.rows[0];
    return first ? first.at - first.elapsedMs : undefined;
  });
  const known = starts.filter((start): start is number => start !== undefined);
  const origin = known.length > 0 ? Math.min(...known) : 0;
  return inputs.map((input, index) => ({
    label: input.label,
    rows: input.model.state.rows,
    offsetMs: (starts[index] ?? origin) - origin,
    key: input.model.key,
  }));
}

export function SequenceDiagram({ inputs, note }: { inputs: readonly SequenceInput[]; note?: string | undefined }) {
  const id = useId();
  const version = useInputsVersion(inputs);
  // The version says when the models' rows changed (they are read inside).
  const layout = useMemo(() => {
    void version;
    return layoutSequence(toSources(inputs));
  }, [inputs, version]);
  const [zoom, setZoom] = useState(1);
  const [exportStatus, setExportStatus] = useState<string | undefined>();
  const svg = useRef<SVGSVGElement>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const basePx = fitPxPerMs(layout.durationMs, fitHeight);
  const pxPerMs = Math.min(basePx * zoom, maxHeight / Math.max(layout.durationMs, 1e-3));
  const scale = timeScale(layout.durationMs, top, pxPerMs);
  const height = scale(layout.durationMs) + bottomPad;
  const width = clientX + laneGap * (layout.lanes.length - 1) + 140;
  const laneX = (lane: number) => clientX + lane * laneGap;

  const changeZoom = (factor: number) => {
    const element = scroller.current;
    const ratio = element ? (element.scrollTop + element.clientHeight / 2) / Math.max(1, element.scrollHeight) : 0;
    setZoom((z) => Math.min(1e6, Math.max(1, z * factor)));
    requestAnimationFrame(() => {
      if (element) element.scrollTop = ratio * element.scrollHeight - element.clientHeight / 2;
    });
  };

  // Ctrl+wheel zooms; React's wheel listener is passive and cannot keep the page from zooming too.
  const zoomRef = useRef(changeZoom);
  zoomRef.current = changeZoom;
  const hasLayout = layout.total > 0;
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey) return;
      event.preventDefault();
      zoomRef.current(event.deltaY < 0 ? 1.25 : 0.8);
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [hasLayout]);

  const pick = (event: SequenceEvent) => {
    const row = document.querySelector(`[data-row="${event.sourceKey}-${event.rowId}"]`);
    if (!row) return;
    row.scrollIntoView({ block: 'nearest' });
    row.classList.add('t-row-picked');
    setTimeout(() => row.classList.remove('t-row-picked'), 1500);
  };

  const save = async (kind: 'svg' | 'png' | 'mermaid') => {
    try {
      if (kind === 'mermaid') {
        downloadText('sequence.mmd', toMermaid(layout), 'text/plain');
      } else {
        const element = svg.current;
        if (!element) return;
        const text = new XMLSerializer().serializeToString(element);
        const blob = new Blob([text], { type: 'image/svg+xml' });
        downloadBlob(`sequence.${kind}`, kind === 'svg' ? blob : await toPng(blob, width, height));
      }
      setExportStatus(`Saved sequence.${kind === 'mermaid' ? 'mmd' : kind}.`);
    } catch (error) {
      setExportStatus(`Could not export: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  if (layout.total === 0) return <p className="sequence-empty">Nothing to draw yet: send something first.</p>;

  const ticks = scale.ticks(Math.max(2, Math.round((height - top) / 60)));
  return (
    <div className="sequence-body">
      <div className="sequence-bar">
        <button type="button" onClick={() => changeZoom(2)}>
          Zoom in
        </button>
        <button type="button" onClick={() => changeZoom(0.5)} disabled={zoom <= 1}>
          Zoom out
        </button>
        <button type="button" onClick={() => setZoom(1)} disabled={zoom === 1}>
          Fit
        </button>
        <span className="sequence-scale">{formatDuration(100 / pxPerMs)} per 100 px</span>
        <button type="button" onClick={() => void save('svg')}>
          Export SVG
        </button>
        <button type="button" onClick={() => void save('png')}>
          Export PNG
        </button>
        <button type="button" onClick={() => void save('mermaid')}>
          Export Mermaid
        </button>
        <span role="status">{exportStatus}</span>
      </div>
      <p className="sequence-note">
        {note ??
          "Client's side only: every time is the client's own stamp. Where a reply's round trip is known, the server end of each arrow is drawn half an RTT away (dashed: estimated)."}
        {layout.firstClose &&
          ` Closed first by the ${layout.firstClose.closedBy ?? 'client'} at ${formatDuration(layout.firstClose.clientMs)}.`}
        {layout.omitted > 0 &&
          ` Showing the newest ${layout.events.length.toLocaleString('en')} of ${layout.total.toLocaleString('en')} events, so the page stays responsive.`}
      </p>
      <div
        ref={scroller}
        className="sequence-scroll"
        // A scrolling region must be reachable to scroll it by keyboard.
        tabIndex={0}
        aria-label="Sequence diagram, scrollable"
      >
        <svg
          ref={svg}
          xmlns="http://www.w3.org/2000/svg"
          role="img"
          aria-label="Sequence diagram"
          aria-describedby={`${id}-table`}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          fontFamily={font}
          fontSize={12}
          data-px-per-ms={pxPerMs}
          data-top={top}
        >
          <defs>
            {(['out', 'back', 'system'] as const).map((key) => (
              <marker
                key={key}
                id={`${id}-arrow-${key}`}
                viewBox="0 0 10 10"
                refX="10"
                refY="5"
                markerWidth="8"
                markerHeight="8"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" fill={colours[key]} />
              </marker>
            ))}
          </defs>
          <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
          <Axis ticks={ticks} scale={scale} height={height} />
          <Lanes layout={layout} laneX={laneX} height={height} />
          {layout.rtts.map((span, index) => (
            <g key={`rtt-${index}`} className="sequence-rtt">
              <line
                x1={clientX - 14}
                x2={clientX - 14}
                y1={scale(span.fromMs)}
                y2={scale(span.toMs)}
                stroke={colours.rtt}
                strokeWidth={3}
              />
              <text
                x={clientX - 20}
                y={(scale(span.fromMs) + scale(span.toMs)) / 2 + 4}
                textAnchor="end"
                fill={colours.rtt}
              >
                RTT {formatDuration(span.rttMs)}
              </text>
            </g>
          ))}
          {layout.events.map((event) => (
            <EventMark
              key={`${event.sourceKey}-${event.rowId}`}
              event={event}
              scale={scale}
              laneX={laneX}
              marker={id}
              onPick={pick}
            />
          ))}
        </svg>
      </div>
      <EventTable id={`${id}-table`} layout={layout} onPick={pick} />
    </div>
  );
}

function Axis({ ticks, scale, height }: { ticks: number[]; scale: (ms: number) => number; height: number }) {
  return (
    <g className="sequence-axis">
      <line x1={axisX} x2={axisX} y1={top} y2={height - bottomPad} stroke={colours.text} />
      <text x={axisX} y={top - 12} textAnchor="middle" fill={colours.text}>
        time
      </text>
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={axisX - 5} x2={axisX} y1={scale(tick)} y2={scale(tick)} stroke={colours.text} />
          <text x={axisX - 8} y={scale(tick) + 4} textAnchor="end" fill={colours.text} fontSize={11}>
            {formatDuration(tick)}
          </text>
        </g>
      ))}
    </g>
  );
}

function Lanes({ layout, laneX, height }: { layout: SequenceLayout; laneX: (lane: number) => number; height: number }) {
  return (
    <g className="sequence-lanes">
      {layout.lanes.map((lane) => (
        <g key={lane.index}>
          <text x={laneX(lane.index)} y={top - 24} textAnchor="middle" fontWeight="bold" fill={colours.text}>
            {lane.label}
          </text>
          <line
            x1={laneX(lane.index)}
            x2={laneX(lane.index)}
            y1={top - 12}
            y2={height - 8}
            stroke={colours.lifeline}
            strokeDasharray="4 3"
          />
        </g>
      ))}
    </g>
  );
}

function EventMark(props: {
  event: SequenceEvent;
  scale: (ms: number) => number;
  laneX: (lane: number) => number;
  marker: string;
  onPick: (event: SequenceEvent) => void;
}) {
  const { event, scale, laneX, marker, onPick } = props;
  // The hover text is made when first hovered: for 2,000 arrows it would cost more than the drawing.
  const [hovered, setHovered] = useState(false);
  const clientY = scale(event.clientMs);
  if (event.kind !== 'message') {
    const colour = event.kind === 'close' ? colours.close : colours.system;
    const text =
      event.kind === 'close'
        ? `${event.closedBy === 'server' ? 'server' : 'client'} closed: ${event.label}`
        : event.label;
    return (
      <g
        className={`sequence-event sequence-${event.kind}`}
        data-ms={event.clientMs}
        data-y={clientY}
        onClick={() => onPick(event)}
      >
        <title>{event.note}</title>
        <line x1={laneX(0)} x2={laneX(event.lane)} y1={clientY} y2={clientY} stroke={colour} strokeDasharray="2 3" />
        <circle
          cx={laneX(event.kind === 'close' && event.closedBy === 'server' ? event.lane : 0)}
          cy={clientY}
          r={4}
          fill={colour}
        />
        <text x={(laneX(0) + laneX(event.lane)) / 2} y={clientY - 4} textAnchor="middle" fill={colour} fontSize={11}>
          {clip(text, 60)}
        </text>
      </g>
    );
  }
  const outbound = event.direction === 'client-to-server';
  const x1 = outbound ? laneX(0) : laneX(event.lane);
  const x2 = outbound ? laneX(event.lane) : laneX(0);
  const y1 = scale(event.fromMs);
  const y2 = scale(event.toMs);
  const colour = outbound ? colours.out : colours.back;
  const count = event.bytes === undefined ? undefined : formatByteCount(event.bytes);
  // "34 bytes" says it once, not "34 bytes · 34 bytes".
  const bytes = count === undefined || count === event.label ? '' : ` · ${count}`;
  return (
    <g
      onPointerEnter={() => setHovered(true)}
      className="sequence-event sequence-message"
      data-ms={event.clientMs}
      data-y={clientY}
      onClick={() => onPick(event)}
    >
      {hovered && (
        <title>{`${outbound ? 'sent' : 'received'} at ${formatDuration(event.clientMs)}${count === undefined ? '' : `, ${count}`}\n${previewText(event)}`}</title>
      )}
      {/* A wide transparent line makes a thin arrow easy to hover and click. */}
      <line x1={x1} x2={x2} y1={y1} y2={y2} stroke="transparent" strokeWidth={10} />
      <line
        x1={x1}
        x2={x2}
        y1={y1}
        y2={y2}
        stroke={colour}
        strokeWidth={1.5}
        strokeDasharray={event.estimated ? '6 3' : undefined}
        markerEnd={`url(#${marker}-arrow-${outbound ? 'out' : 'back'})`}
      />
      {/* Requests labelled above their arrow, replies below, so a quick pair on loopback stays legible. */}
      <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 + (outbound ? -5 : 14)} textAnchor="middle" fill={colour}>
        {event.label}
        {bytes}
      </text>
    </g>
  );
}

function EventTable({
  id,
  layout,
  onPick,
}: {
  id: string;
  layout: SequenceLayout;
  onPick: (e: SequenceEvent) => void;
}) {
  const lane = (index: number) => layout.lanes[index]?.label ?? '?';
  // Always there for a screen reader; shown on the page on request.
  const [shown, setShown] = useState(false);
  return (
    <div className="sequence-table">
      <button type="button" aria-pressed={shown} onClick={() => setShown((value) => !value)}>
        Show events as a table
      </button>
      <table id={id} className={shown ? undefined : 'visually-hidden'}>
        <caption>Sequence diagram events</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">What</th>
            <th scope="col">Bytes</th>
            <th scope="col">RTT</th>
            <th scope="col">Transcript</th>
          </tr>
        </thead>
        <tbody>
          {layout.events.map((event) => {
            const outbound = event.direction === 'client-to-server';
            const message = event.kind === 'message';
            return (
              <tr key={`${event.sourceKey}-${event.rowId}`}>
                <td className="mono">{formatDuration(event.clientMs)}</td>
                <td>{message ? (outbound ? 'Client' : lane(event.lane)) : event.kind}</td>
                <td>{message ? (outbound ? lane(event.lane) : 'Client') : lane(event.lane)}</td>
                <td>{event.label}</td>
                <td className="mono">{event.bytes === undefined ? '' : formatByteCount(event.bytes)}</td>
                <td className="mono">{event.rttMs === undefined ? '' : formatDuration(event.rttMs)}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => onPick(event)}>
                    Show
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

async function toPng(svgBlob: Blob, width: number, height: number): Promise<Blob> {
  const url = URL.createObjectURL(svgBlob);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    // A canvas larger than about 16k px a side fails; a long ladder is scaled down to fit.
    const factor = Math.min(2, 16_000 / Math.max(width, height));
    canvas.width = Math.round(width * factor);
    canvas.height = Math.round(height * factor);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be made'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
