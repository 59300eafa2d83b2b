import { BoundedLru } from './bounded-lru.ts';
import type { Clock } from './clock.ts';

export interface PeerCertificateMemoryOptions {
  /** After this long we send the whole certificate again, in case the peer forgot it. Default 600 s. */
  rememberSeconds?: number;
  /** Peers remembered at most; the least recently used is forgotten first. Default 4096. */
  maxPeers?: number;
}

/**
 * Which peers we believe already hold our certificate.
 *
 * ARCHITECTURE.md: "The first message to a peer carries `<Certificate>`; later ones carry
 * `<CertificateRef>`, keeping datagrams under RFC 3261's 1300 bytes." The belief is only a guess
 * (the datagram may have been lost, the peer may have restarted or evicted us from its cache), so
 * it expires, and a 428 from the peer wipes it at once.
 */
export class PeerCertificateMemory {
  readonly #clock: Clock;
  readonly #rememberMs: number;
  /** Peer key → time we last sent the whole certificate. */
  readonly #sentAt: BoundedLru<string, number>;

  constructor(deps: { clock: Clock }, options: PeerCertificateMemoryOptions = {}) {
    this.#clock = deps.clock;
    this.#rememberMs = (options.rememberSeconds ?? 600) * 1000;
    this.#sentAt = new BoundedLru(options.maxPeers ?? 4096);
  }

  /**
   * True if the peer needs the whole certificate now; records that it is about to get it, so the
   * next call within the memory period answers false.
   */
  needsCertificate(peerKey: string): boolean {
    const now = this.#clock.now();
    const sentAt = this.#sentAt.get(peerKey);
    if (sentAt !== undefined && now - sentAt < this.#rememberMs) return false;
    this.#sentAt.set(peerKey, now);
    return true;
  }

  /** The peer answered 428 (or we otherwise know it lost our certificate). */
  forget(peerKey: string): void {
    this.#sentAt.delete(peerKey);
  }
}
