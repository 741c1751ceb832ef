import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RttEstimate } from '../../../shared/udp/client/ping';
import type { PingRow } from './pingModel';

/**
 * RTT per sequence number (uPlot on a canvas), with EstimatedRTT and TimeoutInterval over
 * it and each lost ping marked on the axis. The canvas is an image for assistive
 * technology; the table beside it carries the same numbers.
 */
export function PingChart({
  rows,
  estimates,
  onPlot,
}: {
  rows: readonly PingRow[];
  estimates: readonly RttEstimate[];
  /** The plot once drawn (for the PNG export), or undefined once gone. */
  onPlot: (plot: uPlot | undefined) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const made = new uPlot(chartOptions(element.clientWidth), [[], [], [], [], []], element);
    plot.current = made;
    onPlot(made);
    const resize = new ResizeObserver(() => made.setSize({ width: element.clientWidth, height: chartHeight }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      made.destroy();
      plot.current = undefined;
      onPlot(undefined);
    };
  }, [onPlot]);

  useEffect(() => {
    plot.current?.setData(chartData(rows, estimates));
  }, [rows, estimates]);

  const answered = rows.filter((row) => typeof row.rttMs === 'number').length;
  const lost = rows.filter((row) => row.rttMs === null).length;
  return (
    <div
      ref={box}
      className="ping-chart"
      role="img"
      aria-label={`RTT per sequence number: ${answered} answered, ${lost} lost; the table lists each ping`}
    />
  );
}

const chartHeight = 220;

function chartOptions(width: number): uPlot.Options {
  return {
    width: Math.max(width, 200),
    height: chartHeight,
    scales: { x: { time: false }, y: { range: (_plot, min, max) => [0, Math.max(max * 1.1, min + 1, 1)] } },
    axes: [{ label: 'sequence number', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] }, { label: 'ms' }],
    series: [
      { label: 'seq' },
      { label: 'SampleRTT', stroke: '#0a58a8', width: 2, points: { show: true, size: 6 } },
      { label: 'EstimatedRTT', stroke: '#1d7a3a', width: 1.5, points: { show: false } },
      { label: 'TimeoutInterval', stroke: '#9a5b00', width: 1, dash: [6, 4], points: { show: false } },
      {
        label: 'lost (timed out)',
        stroke: '#b3261e',
        width: 0,
        paths: () => null,
        points: { show: true, size: 10, fill: '#b3261e', stroke: '#b3261e' },
      },
    ],
    legend: { show: true, live: false },
  };
}

function chartData(rows: readonly PingRow[], estimates: readonly RttEstimate[]): uPlot.AlignedData {
  const bySeq = new Map(estimates.map((estimate) => [estimate.seq, estimate]));
  const done = rows.filter((row) => row.rttMs !== undefined);
  return [
    done.map((row) => row.seq),
    done.map((row) => row.rttMs ?? null),
    done.map((row) => bySeq.get(row.seq)?.estimatedMs ?? null),
    done.map((row) => bySeq.get(row.seq)?.timeoutMs ?? null),
    done.map((row) => (row.rttMs === null ? 0 : null)),
  ];
}

/** The chart as a PNG (white behind it, as a lab report wants it). */
export function chartPng(plot: uPlot): string {
  const source = plot.ctx.canvas;
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height;
  const context = canvas.getContext('2d');
  if (!context) return source.toDataURL('image/png');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(source, 0, 0);
  return canvas.toDataURL('image/png');
}
