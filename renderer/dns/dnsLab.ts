import type { Client } from '../../shared/contract/client';
import { DnsClientModel, NameLookupModel, ServiceLookupModel } from './client/model';
import { DnsServerModel } from './server/model';

/**
 * Everything on the DNS page, kept across navigation by useLab: the query builder with
 * its last reply, the name and service lookups, and the built-in server with the
 * hierarchy, fed by the `dnsServer.log` and `dnsResolver.cache` events.
 */
export class DnsLab {
  readonly query: DnsClientModel;
  readonly nameLookup: NameLookupModel;
  readonly serviceLookup: ServiceLookupModel;
  readonly server: DnsServerModel;
  private readonly unsubscribe: (() => void)[];

  constructor(client: Client) {
    this.query = new DnsClientModel(client);
    this.nameLookup = new NameLookupModel(client);
    this.serviceLookup = new ServiceLookupModel(client);
    this.server = new DnsServerModel(client, (host, port) => this.query.target(host, port));
    this.unsubscribe = [
      client.on('dnsServer.log', (payload) => {
        this.server.handleLog(payload);
        this.query.noteServerLog(payload.entries);
      }),
      client.on('dnsResolver.cache', (payload) => this.server.hierarchy.handleCache(payload)),
    ];
    void this.query.useSystemResolver();
  }

  /** A reply shown, or the DNS server running or with a log. */
  hasUnsavedWork(): boolean {
    return this.query.state.result !== undefined || this.server.hasUnsavedWork();
  }

  connectionLost(): void {
    this.query.connectionLost();
    this.server.connectionLost();
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
    this.query.dispose();
    this.server.dispose();
  }
}
