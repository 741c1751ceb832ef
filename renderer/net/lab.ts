import type { Client } from '../../shared/contract/client';
import type { EventName, EventPayloadOf } from '../../shared/contract/index';
import { type TabModel, TabsModel } from './tabs';

export interface SessionTab extends TabModel {
  readonly sessionId: string | undefined;
  subscribe(listener: () => void): () => void;
  connectionLost(): void;
  hasUnsavedWork(): boolean;
}

const maxOrphanEvents = 256;

/**
 * Delivers a protocol's session events to the tab whose session they name. An event
 * that overtakes the call result opening its session (a server that speaks first) is
 * held until a tab claims that session, so no bytes go missing from a transcript.
 */
export class SessionRouter<M extends SessionTab> {
  private readonly orphans = new Map<string, Array<() => void>>();
  private orphanCount = 0;
  private readonly unsubscribes: Array<() => void> = [];

  constructor(
    private readonly client: Client,
    private readonly tabs: TabsModel<M>,
  ) {}

  /** Routes `name` events by their `sessionId` to `deliver(tab, payload)`. */
  route<E extends EventName>(name: E, deliver: (tab: M, payload: EventPayloadOf<E>) => void): void {
    this.unsubscribes.push(
      this.client.on(name, (payload) => {
        const sessionId = (payload as { sessionId?: unknown }).sessionId;
        if (typeof sessionId !== 'string') return;
        const tab = this.tabs.find((candidate) => candidate.sessionId === sessionId);
        if (tab) {
          deliver(tab, payload);
          return;
        }
        if (this.orphanCount >= maxOrphanEvents) return;
        const held = this.orphans.get(sessionId) ?? [];
        held.push(() => {
          const owner = this.tabs.find((candidate) => candidate.sessionId === sessionId);
          if (owner) deliver(owner, payload);
        });
        this.orphans.set(sessionId, held);
        this.orphanCount++;
      }),
    );
  }

  /** Call when a tab is created: once it has a session, events held for it are delivered. */
  watch(tab: M): void {
    this.unsubscribes.push(
      tab.subscribe(() => {
        const sessionId = tab.sessionId;
        if (sessionId === undefined || this.orphans.size === 0) return;
        const held = this.orphans.get(sessionId);
        if (!held) return;
        this.orphans.delete(sessionId);
        this.orphanCount -= held.length;
        for (const deliver of held) deliver();
      }),
    );
  }

  /** Sessions of a previous link to the Node side are gone with it. */
  connectionLost(): void {
    this.orphans.clear();
    this.orphanCount = 0;
    for (const tab of this.tabs.state.tabs) tab.connectionLost();
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }
}

interface LabServer {
  connectionLost(): void;
  hasUnsavedWork(): boolean;
  dispose(): void;
}

/**
 * One socket lab page: client tabs whose session events are routed to them, and the
 * built-in server beside them. TCP and UDP differ only in their models and event names.
 */
export class SocketLab<C extends SessionTab, S extends LabServer> {
  readonly clients: TabsModel<C>;
  readonly server: S;
  private readonly router: SessionRouter<C>;
  private readonly stopServerLog: () => void;

  constructor(
    client: Client,
    parts: {
      createTab: (tabId: string, label: string) => C;
      server: S;
      /** Adds the protocol's `router.route(...)` lines. */
      routeEvents: (router: SessionRouter<C>) => void;
      /** Subscribes the server to its log events; returns the unsubscribe. */
      watchServerLog: (server: S) => () => void;
    },
  ) {
    // The first tab is created inside TabsModel's constructor, before the router exists.
    let router: SessionRouter<C> | undefined;
    const created: C[] = [];
    this.clients = new TabsModel((tabId, label) => {
      const model = parts.createTab(tabId, label);
      if (router) router.watch(model);
      else created.push(model);
      return model;
    });
    router = new SessionRouter(client, this.clients);
    for (const model of created) router.watch(model);
    this.router = router;
    parts.routeEvents(router);
    this.server = parts.server;
    this.stopServerLog = parts.watchServerLog(parts.server);
  }

  /** Any client tab with a socket or a transcript, or the server running or with a log. */
  hasUnsavedWork(): boolean {
    return this.clients.state.tabs.some((tab) => tab.hasUnsavedWork()) || this.server.hasUnsavedWork();
  }

  connectionLost(): void {
    this.router.connectionLost();
    this.server.connectionLost();
  }

  dispose(): void {
    for (const tab of this.clients.state.tabs) tab.dispose();
    this.server.dispose();
    this.router.dispose();
    this.stopServerLog();
  }
}
