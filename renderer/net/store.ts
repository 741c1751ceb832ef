/**
 * The smallest observable state holder: plain data in, listeners told after each
 * change. Panel models extend it so that their state lives outside React (serialisable,
 * testable in Node) and React only subscribes (useStore).
 */
export class Store<S> {
  private current: S;
  private readonly listeners = new Set<() => void>();

  constructor(initial: S) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  readonly getState = (): S => this.current;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Replaces the state (never mutate it in place: subscribers compare by identity). */
  protected set(next: S): void {
    if (next === this.current) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener();
  }
}
