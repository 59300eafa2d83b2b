import type { DigestAlgorithm } from './digest-algorithm.ts';

/** Settings of a `DigestAuthenticator`; only the realm is required. */
export interface DigestAuthenticatorOptions {
  /**
   * The protection space (RFC 3261 §22.1: "typically the domain"). The account store computes
   * HA1 with the account's domain as realm, so for the login server this is that domain.
   */
  readonly realm: string;
  /**
   * Key of the nonce MAC, at least 16 bytes. Random by default, which means a restart makes all
   * outstanding nonces unknown; clients then answer the stale=true challenge without prompting.
   * Pass a persisted secret to let nonces survive restarts or to share them between processes.
   */
  readonly secret?: Uint8Array;
  /** How long a nonce may be used, in seconds (default 300). */
  readonly nonceLifetimeSeconds?: number;
  /** Milliseconds since the epoch (default `Date.now`); tests pass a fake. */
  readonly clock?: () => number;
  /**
   * Algorithms offered, most preferred first (default SHA-256 then MD5, RFC 8760 §2.4). A client
   * that reads only the first WWW-Authenticate header and knows only MD5 (sip.js's own UAC, some
   * sipp builds) needs MD5 first or alone; credentials for an algorithm not listed are refused.
   */
  readonly algorithms?: readonly DigestAlgorithm[];
  /** Most nonces remembered for replay protection (default 65 536, about 20 MB at worst). */
  readonly maxTrackedNonces?: number;
}
