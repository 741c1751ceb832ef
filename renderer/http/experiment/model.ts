import type { Client } from '../../../shared/contract/client';
import type { EventPayloadOf } from '../../../shared/contract/index';
import {
  type ExperimentMode,
  experimentModeLabels,
  experimentModes,
  explainDifference,
  type Prediction,
  predict,
} from '../../../shared/http/timing';
import { Store } from '../../net/store';

type ExchangeEnd = EventPayloadOf<'http.exchangeEnd'>;

export type ExperimentField = 'objects' | 'size' | 'parallel' | 'delay' | 'bandwidth';

export interface ModeResult {
  readonly mode: ExperimentMode;
  readonly measuredMs: number;
  readonly connections: number;
  readonly requestsPerConnection: number;
  readonly prediction: Prediction;
  readonly explanation: string;
}

export interface ExperimentState {
  readonly fields: Readonly<Record<ExperimentField, string>>;
  readonly errors: Readonly<Partial<Record<ExperimentField | 'run', string>>>;
  readonly running: boolean;
  /** What the run is doing now, for the status line. */
  readonly step: string | undefined;
  readonly rttMs: number | undefined;
  readonly results: readonly ModeResult[];
}

interface Settings {
  objects: number;
  size: number;
  parallel: number;
  delayMs: number;
  bandwidth: number | null;
}

/** Response head bytes the web server adds to each object (status line, Date, Content-Type, …), about. */
const headBytes = 200;

/**
 * The persistent vs non-persistent experiment (textbook 2.2.2): starts a built-in web
 * server with an emulated link, measures the RTT, then fetches a base page and the N
 * objects it references four ways through the real `http.send` client (new connections
 * one at a time, k at a time, one kept connection, one kept connection pipelined), and
 * sets each total beside the textbook's prediction from the measured RTT and the sizes.
 */
export class ExperimentModel extends Store<ExperimentState> {
  private readonly waiters = new Map<string, (end: ExchangeEnd) => void>();
  private readonly ended = new Map<string, ExchangeEnd>();
  private readonly unsubscribe: () => void;

  constructor(private readonly client: Client) {
    super({
      fields: { objects: '5', size: '10000', parallel: '2', delay: '50', bandwidth: '' },
      errors: {},
      running: false,
      step: undefined,
      rttMs: undefined,
      results: [],
    });
    this.unsubscribe = client.on('http.exchangeEnd', (end) => {
      const waiter = this.waiters.get(end.exchangeId);
      if (waiter) {
        this.waiters.delete(end.exchangeId);
        waiter(end);
      } else if (this.state.running && this.ended.size < 1000) this.ended.set(end.exchangeId, end);
    });
  }

  dispose(): void {
    this.unsubscribe();
  }

  setField(field: ExperimentField, value: string): void {
    const { [field]: _, run: __, ...errors } = this.state.errors;
    this.set({ ...this.state, fields: { ...this.state.fields, [field]: value }, errors });
  }

  private settings(): Settings | undefined {
    const f = this.state.fields;
    const errors: Partial<Record<ExperimentField, string>> = {};
    const whole = (field: ExperimentField, min: number, max: number, what: string): number => {
      const value = Number(f[field].trim());
      if (f[field].trim() === '' || !Number.isInteger(value) || value < min || value > max)
        errors[field] = `Type ${what}: a whole number from ${min} to ${max}.`;
      return value;
    };
    const settings: Settings = {
      objects: whole('objects', 1, 50, 'the number of objects'),
      size: whole('size', 0, 10 * 1024 * 1024, 'the object size in bytes'),
      parallel: whole('parallel', 1, 20, 'the parallel connections k'),
      delayMs: whole('delay', 0, 2000, 'the one-way delay in ms'),
      bandwidth: f.bandwidth.trim() === '' ? null : whole('bandwidth', 1, 10 * 1024 ** 3, 'the bandwidth in bytes/s'),
    };
    if (Object.keys(errors).length > 0) {
      this.set({ ...this.state, errors });
      return undefined;
    }
    return settings;
  }

  /** Runs the four modes one after another; resolves once done (false on a problem, shown under Run). */
  async run(): Promise<boolean> {
    if (this.state.running) return false;
    const settings = this.settings();
    if (!settings) return false;
    this.ended.clear();
    this.set({ ...this.state, running: true, errors: {}, results: [], rttMs: undefined, step: 'starting the server' });
    let serverId: string | undefined;
    try {
      const link = {
        delayMs: settings.delayMs,
        ...(settings.bandwidth !== null ? { bandwidthBytesPerSecond: settings.bandwidth } : {}),
      };
      const server = await this.client.call(
        'webServer.start',
        { port: 0, bindAddress: '127.0.0.1', link },
        { timeoutMs: 15_000 },
      );
      serverId = server.serverId;
      const run = new Run(this, server.local.port, settings);
      this.set({ ...this.state, step: 'measuring the RTT' });
      const rttMs = await run.measureRtt();
      this.set({ ...this.state, rttMs });
      const inputs = {
        rttMs,
        baseBytes: run.baseBytes(),
        objectBytes: Array.from({ length: settings.objects }, () => settings.size + headBytes),
        bandwidthBytesPerSecond: settings.bandwidth,
        parallel: settings.parallel,
      };
      for (const mode of experimentModes) {
        this.set({ ...this.state, step: experimentModeLabels[mode].toLowerCase() });
        const measured = await run.mode(mode);
        const prediction = predict(mode, inputs);
        const result: ModeResult = {
          mode,
          ...measured,
          prediction,
          explanation: explainDifference(mode, measured.measuredMs, prediction.totalMs, rttMs),
        };
        this.set({ ...this.state, results: [...this.state.results, result] });
      }
      this.set({ ...this.state, running: false, step: undefined });
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.set({ ...this.state, running: false, step: undefined, errors: { run: message } });
      return false;
    } finally {
      if (serverId) await this.client.call('webServer.stop', { serverId }, { timeoutMs: 15_000 }).catch(() => {});
    }
  }

  /** Sends raw requests; resolves with the connection and every exchange's end. */
  async send(
    raw: string,
    connection: 'new' | 'keep',
    port: number,
  ): Promise<{ connectionId: string; ends: ExchangeEnd[] }> {
    const sent = await this.client.call(
      'http.send',
      {
        target: { host: '127.0.0.1', port },
        raw: new TextEncoder().encode(raw),
        connection,
        responseTimeoutMs: 30_000,
      },
      { timeoutMs: 45_000 },
    );
    const ends = await Promise.all(
      sent.exchanges.map(
        ({ exchangeId }) =>
          new Promise<ExchangeEnd>((resolve) => {
            const early = this.ended.get(exchangeId);
            if (early) {
              this.ended.delete(exchangeId);
              resolve(early);
            } else this.waiters.set(exchangeId, resolve);
          }),
      ),
    );
    for (const end of ends) {
      if (end.outcome !== 'complete') throw new Error(end.error?.message ?? `a response ended ${end.outcome}`);
      void this.client.call('http.forget', { exchangeId: end.exchangeId }).catch(() => {});
    }
    return { connectionId: sent.connectionId, ends };
  }

  close(connectionId: string): Promise<unknown> {
    return this.client.call('http.close', { connectionId }).catch(() => {});
  }

  /** The results as a CSV table for a lab report. */
  csv(): string {
    const rows = [
      [
        'mode',
        'measured total (ms)',
        'predicted total (ms)',
        'difference (ms)',
        'connections opened',
        'requests per connection',
        'textbook formula',
        'measured RTT (ms)',
      ],
    ];
    for (const r of this.state.results) {
      rows.push([
        experimentModeLabels[r.mode],
        r.measuredMs.toFixed(1),
        r.prediction.totalMs.toFixed(1),
        (r.measuredMs - r.prediction.totalMs).toFixed(1),
        String(r.connections),
        formatRequests(r.requestsPerConnection),
        r.prediction.formula,
        (this.state.rttMs ?? 0).toFixed(1),
      ]);
    }
    return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
  }
}

export function formatRequests(perConnection: number): string {
  return Number.isInteger(perConnection) ? String(perConnection) : perConnection.toFixed(1);
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One run's requests against the experiment's server. */
class Run {
  private basePageBytes = 0;

  constructor(
    private readonly model: ExperimentModel,
    private readonly port: number,
    private readonly settings: Settings,
  ) {}

  baseBytes(): number {
    return this.basePageBytes;
  }

  private request(path: string, close: boolean): string {
    return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`;
  }

  private page(close: boolean): string {
    return this.request(`/_experiment/page.html?n=${this.settings.objects}&size=${this.settings.size}`, close);
  }

  private object(index: number, close: boolean): string {
    return this.request(`/_experiment/${index + 1}.bin?size=${this.settings.size}`, close);
  }

  /** The median of three requests on a kept connection after the first: each is one RTT. */
  async measureRtt(): Promise<number> {
    const first = await this.model.send(this.page(false), 'keep', this.port);
    this.basePageBytes = (first.ends[0]?.body.receivedBytes ?? 0) + headBytes;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      // The Node side's own time from the request's send to the response's last byte.
      const sent = await this.model.send(this.request('/_experiment/0.bin?size=0', false), 'keep', this.port);
      times.push(sent.ends[0]?.timings.totalMs ?? 0);
    }
    await this.model.close(first.connectionId);
    return times.sort((a, b) => a - b)[1] ?? 0;
  }

  async mode(
    mode: ExperimentMode,
  ): Promise<{ measuredMs: number; connections: number; requestsPerConnection: number }> {
    const n = this.settings.objects;
    const connections = new Set<string>();
    // Timed on the Node side's clock (the events' mono stamps): from the first send's start to the last byte.
    let startMono = Number.POSITIVE_INFINITY;
    let endMono = 0;
    const note = (sent: { connectionId: string; ends: ExchangeEnd[] }) => {
      connections.add(sent.connectionId);
      for (const end of sent.ends) {
        startMono = Math.min(startMono, end.mono - (end.timings.totalMs ?? 0));
        endMono = Math.max(endMono, end.mono);
      }
    };
    if (mode === 'serial' || mode === 'parallel') {
      note(await this.model.send(this.page(true), 'new', this.port));
      let next = 0;
      const worker = async () => {
        while (next < n) {
          const index = next++;
          note(await this.model.send(this.object(index, true), 'new', this.port));
        }
      };
      const workers = mode === 'serial' ? 1 : Math.min(this.settings.parallel, n);
      await Promise.all(Array.from({ length: workers }, worker));
    } else {
      const base = await this.model.send(this.page(false), 'keep', this.port);
      note(base);
      if (mode === 'persistent') {
        for (let i = 0; i < n; i++) note(await this.model.send(this.object(i, false), 'keep', this.port));
      } else {
        const all = Array.from({ length: n }, (_, i) => this.object(i, false)).join('');
        note(await this.model.send(all, 'keep', this.port));
      }
    }
    const measuredMs = endMono - startMono;
    if (mode === 'persistent' || mode === 'pipelined') for (const id of connections) await this.model.close(id);
    return { measuredMs, connections: connections.size, requestsPerConnection: (n + 1) / connections.size };
  }
}
