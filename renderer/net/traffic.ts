import { Store } from './store';

export interface TrafficTotals {
  /** Bytes (TCP) or datagrams (UDP) sent on the current socket. */
  readonly sent: number;
  readonly received: number;
}

/**
 * A socket's running totals, kept apart from the panel's state: they change with every
 * chunk of a fast stream, and only the few views that show them should re-render.
 */
export class Traffic extends Store<TrafficTotals> {
  constructor() {
    super({ sent: 0, received: 0 });
  }

  add(sent: number, received: number): void {
    if (sent === 0 && received === 0) return;
    this.set({ sent: this.state.sent + sent, received: this.state.received + received });
  }

  /** The Node side's own totals (they win over what was added up here). */
  setTotals(totals: Partial<TrafficTotals>): void {
    const next = { ...this.state, ...totals };
    if (next.sent !== this.state.sent || next.received !== this.state.received) this.set(next);
  }

  reset(): void {
    this.setTotals({ sent: 0, received: 0 });
  }
}
