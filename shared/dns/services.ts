/**
 * Service names and ports, as getservbyname()/getservbyport() answer them: from the
 * system's services file (`/etc/services`; on Windows `drivers\etc\services`), with
 * the well-known ports below when that file cannot be read (labelled so in the UI).
 */

export interface ServiceEntry {
  name: string;
  port: number;
  protocol: string;
  aliases: string[];
}

/** IANA's well-known ports a course meets. */
export const wellKnownServices: readonly ServiceEntry[] = [
  ['ftp-data', 20, 'tcp'],
  ['ftp', 21, 'tcp'],
  ['ssh', 22, 'tcp'],
  ['telnet', 23, 'tcp'],
  ['smtp', 25, 'tcp', 'mail'],
  ['domain', 53, 'tcp'],
  ['domain', 53, 'udp'],
  ['bootps', 67, 'udp'],
  ['bootpc', 68, 'udp'],
  ['tftp', 69, 'udp'],
  ['http', 80, 'tcp', 'www'],
  ['pop3', 110, 'tcp', 'pop-3'],
  ['ntp', 123, 'udp'],
  ['imap', 143, 'tcp', 'imap2'],
  ['snmp', 161, 'udp'],
  ['ldap', 389, 'tcp'],
  ['https', 443, 'tcp'],
  ['https', 443, 'udp'],
  ['submissions', 465, 'tcp', 'ssmtp', 'smtps'],
  ['submission', 587, 'tcp'],
  ['imaps', 993, 'tcp'],
  ['pop3s', 995, 'tcp'],
  ['mysql', 3306, 'tcp'],
  ['postgresql', 5432, 'tcp', 'postgres'],
  ['mdns', 5353, 'udp'],
].map(([name, port, protocol, ...aliases]) => ({
  name: name as string,
  port: port as number,
  protocol: protocol as string,
  aliases: aliases as string[],
}));

/** Parses a services file: `name  port/protocol  [aliases…]  [# comment]`. Bad lines are skipped. */
export function parseServicesFile(text: string): ServiceEntry[] {
  const entries: ServiceEntry[] = [];
  for (const raw of text.split(/\r?\n/).slice(0, 100_000)) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, portProto, ...aliases] = line.split(/\s+/);
    const m = /^(\d{1,5})\/(\w+)$/.exec(portProto ?? '');
    if (!name || !m) continue;
    const port = Number(m[1]);
    if (port > 65535) continue;
    entries.push({ name, port, protocol: m[2]!.toLowerCase(), aliases });
  }
  return entries;
}

/**
 * `smtp` → its entries (by name or alias, any protocol unless one is given);
 * `25` → the services on that port, as getservbyport does.
 */
export function findServices(entries: readonly ServiceEntry[], query: string, protocol?: string): ServiceEntry[] {
  const q = query.trim().toLowerCase();
  const byPort = /^\d+$/.test(q) ? Number(q) : undefined;
  return entries.filter(
    (e) =>
      (protocol === undefined || e.protocol === protocol) &&
      (byPort !== undefined
        ? e.port === byPort
        : e.name.toLowerCase() === q || e.aliases.some((a) => a.toLowerCase() === q)),
  );
}
