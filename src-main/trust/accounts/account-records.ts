/** What the account store hands out. Times are milliseconds since the epoch. */
import type { RevocationReason } from '../../overlay/xml/index.ts';

export interface Account {
  /** "sip:alice@example.com", spelt as at creation (lookups ignore case). */
  readonly aor: string;
  readonly username: string;
  /** Lowercase; it is also the digest realm of the account's HA1 values. */
  readonly domain: string;
  readonly createdAt: number;
  /** Removed accounts keep their row so their certificates and revocations stay on record. */
  readonly disabled: boolean;
}

/**
 * RFC 5280 §5.3.1 CRLReason names, as the application/p2p+xml RevocationList carries them: one
 * definition, so that what the store records is what the list can publish.
 */
export { REVOCATION_REASONS, type RevocationReason } from '../../overlay/xml/index.ts';

export interface NewCertificate {
  /** Hex serial as the CA wrote it; stored lowercase without colons or leading zeros. */
  readonly serial: string;
  readonly aor: string;
  /** 40 hex digits: SHA-1 of the public key's SubjectPublicKeyInfo. */
  readonly nodeId: string;
  /** 64 hex digits: SHA-256 of the certificate's DER (colons allowed, as openssl prints it). */
  readonly fingerprint: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly pem: string;
  /** Defaults to the store's clock. */
  readonly issuedAt?: number;
}

export interface Revocation {
  readonly serial: string;
  readonly fingerprint: string;
  readonly aor: string;
  readonly revokedAt: number;
  readonly reason: RevocationReason;
  /** The revocation-list version this revocation first appeared in. */
  readonly version: number;
}

export interface CertificateRecord {
  readonly serial: string;
  readonly aor: string;
  readonly nodeId: string;
  readonly fingerprint: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly pem: string;
  readonly issuedAt: number;
  readonly revocation?: Revocation;
}

export interface RemovedAccount {
  readonly aor: string;
  /** Serials of the certificates revoked because the account went away. */
  readonly revokedSerials: readonly string[];
  /** The revocation-list version after the removal. */
  readonly revocationVersion: number;
}
