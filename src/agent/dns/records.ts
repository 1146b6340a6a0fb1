// The vocabulary shared by the cluster DNS modules: record type and response code numbers, the
// resource records the server produces (a small tagged union rather than dns-packet's wide one,
// because the hot path builds and encodes them itself), and the shape of an answer.

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;
export const CLASS_IN = 1;
export const CLASS_ANY = 255;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface Soa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface Srv {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/** One resource record; names are lower-case without the trailing dot. */
export type Rr =
  | { name: string; ttl: number; type: typeof TYPE.A | typeof TYPE.AAAA; ip: string }
  | { name: string; ttl: number; type: typeof TYPE.NS | typeof TYPE.CNAME | typeof TYPE.PTR; target: string }
  | ({ name: string; ttl: number; type: typeof TYPE.SRV } & Srv)
  | { name: string; ttl: number; type: typeof TYPE.TXT; text: string[] }
  | { name: string; ttl: number; type: typeof TYPE.SOA; soa: Soa };

/** What the server says to one question (before the wire encoding and truncation). */
export interface Answer {
  rcode: number;
  /** Authoritative: set for every name the cluster zone owns. */
  authoritative: boolean;
  answers: Rr[];
  authorities: Rr[];
  additionals: Rr[];
}
