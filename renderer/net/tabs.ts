import { Store } from './store';

export interface TabModel {
  readonly tabId: string;
  readonly label: string;
  /** Ends whatever the tab has open (its socket), best effort. */
  dispose(): void;
}

export interface TabsState<M> {
  readonly tabs: readonly M[];
  readonly activeId: string;
}

/**
 * Client sessions side by side as tabs ("Client 1", "Client 2"...), so that two
 * clients of one server can be compared. Numbers are never reused, so a closed
 * "Client 2" is not confused with a later one.
 */
export class TabsModel<M extends TabModel> extends Store<TabsState<M>> {
  private next = 1;

  constructor(private readonly create: (tabId: string, label: string) => M) {
    const first = create('tab-1', 'Client 1');
    super({ tabs: [first], activeId: first.tabId });
    this.next = 2;
  }

  get active(): M {
    return this.state.tabs.find((tab) => tab.tabId === this.state.activeId) ?? (this.state.tabs[0] as M);
  }

  add(): M {
    const n = this.next++;
    const tab = this.create(`tab-${n}`, `Client ${n}`);
    this.set({ tabs: [...this.state.tabs, tab], activeId: tab.tabId });
    return tab;
  }

  select(tabId: string): void {
    if (tabId === this.state.activeId || !this.state.tabs.some((tab) => tab.tabId === tabId)) return;
    this.set({ ...this.state, activeId: tabId });
  }

  /** Closes a tab and its session; the last tab is replaced by a fresh one rather than leaving none. */
  remove(tabId: string): void {
    const index = this.state.tabs.findIndex((tab) => tab.tabId === tabId);
    const tab = this.state.tabs[index];
    if (!tab) return;
    tab.dispose();
    let tabs = this.state.tabs.filter((other) => other !== tab);
    if (tabs.length === 0) {
      const n = this.next++;
      tabs = [this.create(`tab-${n}`, `Client ${n}`)];
    }
    const activeId =
      this.state.activeId === tabId ? (tabs[Math.min(index, tabs.length - 1)] as M).tabId : this.state.activeId;
    this.set({ tabs, activeId });
  }

  find(match: (tab: M) => boolean): M | undefined {
    return this.state.tabs.find(match);
  }
}
