import type { KeyObject } from 'node:crypto';

import { BoundedLru } from './bounded-lru.ts';

/**
 * What a certificate proved once and for all: it was issued by our CA, it names exactly one AOR
 * and one NodeID, and the NodeID is its own key's. Time and revocation are not part of it; they
 * change and are checked on every use.
 */
export interface CertifiedIdentity {
  aor: string;
  nodeId: string;
  /** SHA-256 of the DER, 64 lowercase hex digits. */
  fingerprint: string;
  /** Lowercase hex without leading zeros (see `normalizeSerial`). */
  serial: string;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

/**
 * Certificates we have checked, by fingerprint, most recently used kept.
 *
 * It serves two purposes: the hot path skips parsing and chain verification for a certificate
 * seen before (parsing alone costs ~100 µs), and a later message that carries only a
 * `<CertificateRef>` can be verified at all (ARCHITECTURE.md: "later ones carry
 * `<CertificateRef>`"). Bounded, because anyone our CA certified can make us store entries.
 */
export class CertificateCache {
  readonly #byFingerprint: BoundedLru<string, CertifiedIdentity>;

  constructor(capacity = 10_000) {
    this.#byFingerprint = new BoundedLru(capacity);
  }

  get size(): number {
    return this.#byFingerprint.size;
  }

  get(fingerprint: string): CertifiedIdentity | undefined {
    return this.#byFingerprint.get(fingerprint);
  }

  remember(identity: CertifiedIdentity): void {
    this.#byFingerprint.set(identity.fingerprint, identity);
  }

  forget(fingerprint: string): void {
    this.#byFingerprint.delete(fingerprint);
  }
}
