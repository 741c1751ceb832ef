import { notFound } from './errors';

/** A session's open sockets or servers by id; a lookup of an unknown id is a clear E_NOT_FOUND. */
export class Registry<T extends { readonly id: string }> {
  private readonly items = new Map<string, T>();

  /** `kind` names the thing in messages, e.g. "TCP session". */
  constructor(private readonly kind: string) {}

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
