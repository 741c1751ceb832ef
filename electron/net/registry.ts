import { notFound } from './errors';
import { nextId } from './ids';

/** What opening a session or starting a server gives: the thing itself, to keep, and the command's answer. */
export interface Opened<T, R> {
  opened: T;
  result: R;
}

/** A session's open sockets or servers by id; a lookup of an unknown id is a clear E_NOT_FOUND. */
export class Registry<T extends { readonly id: string }> {
  private readonly items = new Map<string, T>();

  /** `kind` names the thing in messages, e.g. "TCP session"; `idPrefix` starts its ids, e.g. `tcp` for `tcp-3`. */
  constructor(
    private readonly kind: string,
    private readonly idPrefix: string,
  ) {}

  /** Opens one more under a new id, keeps it, and answers with what opening it said. */
  async open<R>(open: (id: string) => Promise<Opened<T, R>>): Promise<R> {
    const { opened, result } = await open(nextId(this.idPrefix));
    this.add(opened);
    return result;
  }

  /** Closes the one with this id and forgets it; one whose close throws is kept. */
  remove<R>(id: string, close: (item: T) => R): R {
    const result = close(this.get(id));
    this.delete(id);
    return result;
  }

  /** Stops the one with this id and forgets it once stopped; one whose stop fails is kept. */
  async removeOnceStopped<R>(id: string, stop: (item: T) => Promise<R>): Promise<R> {
    const result = await stop(this.get(id));
    this.delete(id);
    return result;
  }

  add(item: T): void {
    this.items.set(item.id, item);
  }

  get(id: string): T {
    const found = this.items.get(id);
    if (!found) throw notFound(this.kind, id);
    return found;
  }

  delete(id: string): void {
    this.items.delete(id);
  }
}
