import dnsPacket from 'dns-packet';

/** A reply with compression, as real servers write it: www.example.com → CNAME → A, MX, NS, SOA. */
export function compressedReply(): Uint8Array {
  const h = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 1, 0, 1];
  const qname = [3, 0x77, 0x77, 0x77, 7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0];
  const q = [...qname, 0, 1, 0, 1]; // question at 12; "example.com" at 16
  // answer 1: c0 0c CNAME IN ttl 300 rdlength 2 c0 10
  const a1 = [0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 1, 0x2c, 0, 2, 0xc0, 0x10];
  // answer 2: c0 10 A IN ttl 60 rdlength 4 93.184.216.34
  const a2 = [0xc0, 0x10, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 93, 184, 216, 34];
  // authority: c0 10 NS IN ttl 86400 rdlength 6 "ns1" c0 10
  const ns = [0xc0, 0x10, 0, 2, 0, 1, 0, 1, 0x51, 0x80, 0, 6, 3, 0x6e, 0x73, 0x31, 0xc0, 0x10];
  // additional: OPT udp 1232
  const opt = [0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0];
  return new Uint8Array([...h, ...q, ...a1, ...a2, ...ns, ...opt]);
}

/** Replies encoded by dns-packet (no compression) with every type the dissector decodes. */
export function libraryReplies(): Uint8Array[] {
  const base = {
    type: 'response' as const,
    id: 7,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED,
  };
  const q = [{ type: 'A' as const, name: 'example.lab' }];
  const packets: dnsPacket.Packet[] = [
    { ...base, questions: q, answers: [{ type: 'A', name: 'example.lab', ttl: 300, data: '127.0.0.1' }] },
    { ...base, questions: q, answers: [{ type: 'AAAA', name: 'example.lab', ttl: 300, data: '2001:db8::1' }] },
    {
      ...base,
      questions: q,
      answers: [{ type: 'MX', name: 'example.lab', ttl: 300, data: { preference: 10, exchange: 'mail.example.lab' } }],
    },
    { ...base, questions: q, answers: [{ type: 'TXT', name: 'example.lab', ttl: 300, data: ['v=spf1 -all', 'two'] }] },
    { ...base, questions: q, answers: [{ type: 'CNAME', name: 'www.example.lab', ttl: 300, data: 'example.lab' }] },
    {
      ...base,
      questions: q,
      authorities: [
        {
          type: 'SOA',
          name: 'example.lab',
          ttl: 300,
          data: {
            mname: 'ns1.example.lab',
            rname: 'hostmaster.example.lab',
            serial: 1,
            refresh: 2,
            retry: 3,
            expire: 4,
            minimum: 5,
          },
        },
      ],
    },
    {
      ...base,
      questions: q,
      answers: [
        {
          type: 'SRV',
          name: '_sip._tcp.example.lab',
          ttl: 60,
          data: { priority: 1, weight: 2, port: 5060, target: 'sip.example.lab' },
        },
      ],
    },
    { ...base, questions: q, answers: [{ type: 'PTR', name: '1.0.0.127.in-addr.arpa', ttl: 60, data: 'localhost' }] },
    {
      ...base,
      questions: q,
      authorities: [{ type: 'NS', name: 'lab', ttl: 60, data: 'ns.lab' }],
      additionals: [{ type: 'A', name: 'ns.lab', ttl: 60, data: '127.0.0.2' }],
    },
  ];
  return packets.map((p) => new Uint8Array(dnsPacket.encode(p)));
}
