import { uriEndpoint } from './next-hop.ts';
import type { SipRequest } from './sip-request.ts';

/** One contact bound to an address of record. */
export interface Binding {
  aor: string;
  contact: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  callId: string;
  cseq: number;
}

/**
 * Where bindings live. The login server keeps them in memory; the identity overlay (next
 * milestone) keeps them on the peer responsible for the AOR's key. Implementations MUST treat
 * `replace` as atomic for one AOR.
 */
export interface BindingStore {
  get(aor: string): Binding[];
  replace(aor: string, bindings: Binding[]): void;
}

export class MemoryBindingStore implements BindingStore {
  private readonly map = new Map<string, Binding[]>();
  constructor(private readonly now: () => number = Date.now) {}

  get(aor: string): Binding[] {
    const live = (this.map.get(aor) ?? []).filter((b) => b.expiresAt > this.now());
    if (live.length === 0) this.map.delete(aor);
    return live;
  }

  replace(aor: string, bindings: Binding[]): void {
    if (bindings.length === 0) this.map.delete(aor);
    else this.map.set(aor, bindings);
  }

  get size(): number {
    return this.map.size;
  }
}

export interface RegistrarOptions {
  defaultExpires?: number;
  minExpires?: number;
  maxExpires?: number;
  now?: () => number;
}

/** The outcome the caller sends (or adds a body to) — the registrar itself never responds. */
export interface RegistrarResult {
  status: number;
  reason?: string;
  headers: Array<[string, string]>;
  bindings: Binding[];
}

/**
 * The registrar role of RFC 3261 section 10.3, steps 6 to 8 (authentication and authorization,
 * steps 1 to 5, belong to the caller). `Contact: *` with `Expires: 0` removes every binding;
 * each contact's lifetime comes from its expires parameter, else the Expires header, else the
 * default; lifetimes shorter than Min-Expires get 423.
 */
export class Registrar {
  private readonly defaultExpires: number;
  private readonly minExpires: number;
  private readonly maxExpires: number;
  private readonly now: () => number;

  constructor(
    private readonly store: BindingStore,
    options: RegistrarOptions = {},
  ) {
    this.defaultExpires = options.defaultExpires ?? 3600;
    this.minExpires = options.minExpires ?? 60;
    this.maxExpires = options.maxExpires ?? 86400;
    this.now = options.now ?? Date.now;
  }

  /** The address of record a REGISTER is about: its To URI, reduced to scheme:user@host. */
  static aorOf(request: SipRequest): string {
    return canonicalAor(request.toUri);
  }

  register(request: SipRequest): RegistrarResult {
    const aor = Registrar.aorOf(request);
    const contacts = request.contacts;
    const current = this.store.get(aor);
    const headerExpires = request.expires;

    if (contacts.some((c) => c.star)) {
      // 10.3 step 6: "*" is only allowed alone and with Expires: 0.
      if (contacts.length > 1 || headerExpires !== 0) {
        return this.result(400, current, 'Contact * needs Expires: 0 and no other contact');
      }
      if (current.some((b) => b.callId === request.callId && b.cseq >= request.cseq)) {
        return this.result(500, current, 'Out of order REGISTER');
      }
      this.store.replace(aor, []);
      return this.result(200, []);
    }

    const next = [...current];
    for (const contact of contacts) {
      if (!uriEndpoint(contact.uri)) return this.result(400, current, `Bad Contact ${contact.uri}`);
      const expires = Math.min(contact.expires ?? headerExpires ?? this.defaultExpires, this.maxExpires);
      if (expires !== 0 && expires < this.minExpires) {
        return {
          ...this.result(423, current, 'Interval Too Brief'),
          headers: [['Min-Expires', String(this.minExpires)]],
        };
      }
      const index = next.findIndex((b) => sameContact(b.contact, contact.uri));
      if (index >= 0) {
        // 10.3 step 7: same Call-ID with a CSeq not higher than the stored one is out of order.
        const existing = next[index];
        if (existing.callId === request.callId && existing.cseq >= request.cseq) {
          return this.result(500, current, 'Out of order REGISTER');
        }
        next.splice(index, 1);
      }
      if (expires > 0) {
        next.push({
          aor,
          contact: contact.uri,
          expiresAt: this.now() + expires * 1000,
          callId: request.callId,
          cseq: request.cseq,
        });
      }
    }
    if (contacts.length > 0) this.store.replace(aor, next);
    return this.result(200, contacts.length > 0 ? next : current);
  }

  private result(status: number, bindings: Binding[], reason?: string): RegistrarResult {
    const now = this.now();
    const headers: Array<[string, string]> = bindings.map((b) => [
      'Contact',
      `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`,
    ]);
    if (status === 200) headers.push(['Date', new Date(now).toUTCString()]);
    return { status, reason, headers, bindings };
  }
}

/** sip:Alice@Example.COM:5060;transport=udp → sip:Alice@example.com (user part is case-sensitive). */
export function canonicalAor(uri: string): string {
  const m = /^(sips?):(?:([^@;?]+)@)?([^;?:>]+|\[[^\]]+\])/i.exec(uri.replace(/^<|>$/g, ''));
  if (!m) return uri;
  return `${m[1].toLowerCase()}:${m[2] ? m[2] + '@' : ''}${m[3].toLowerCase()}`;
}

function sameContact(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
