import type { DigestAlgorithm } from './digest-algorithm.ts';

/** Finds the HA1 of an account for a realm and algorithm, or undefined if there is none. */
export type Ha1Lookup = (username: string, realm: string, algorithm: DigestAlgorithm) => string | undefined;

export interface VerifyRequest {
  /** The SIP method of the request being authenticated, e.g. "REGISTER". */
  readonly method: string;
  /** The value of the Authorization (or Proxy-Authorization) header, without the header name. */
  readonly authorizationHeader: string;
  readonly lookupHa1: Ha1Lookup;
}

/**
 * Why a request was refused. The registrar answers each with a fresh 401 challenge; the reason is
 * for logs and for the failed-login throttle.
 */
export type DigestFailureReason =
  /** The header cannot be read, lacks a required parameter, or has a response of the wrong length. */
  | 'malformed'
  /** An algorithm other than MD5 and SHA-256 (e.g. "-sess" variants), or userhash=true. */
  | 'unsupported-algorithm'
  /** A qop other than "auth" (auth-int is not offered). */
  | 'unsupported-qop'
  /** The credentials are for another realm. */
  | 'realm-mismatch'
  /** The opaque value is not the one we sent (RFC 7616 §3.3: it must come back unchanged). */
  | 'opaque-mismatch'
  /** The nonce is not one of ours (or we restarted with another secret). */
  | 'bad-nonce'
  /** The nonce was ours but has expired. */
  | 'stale-nonce'
  /** The nonce already authenticated a request, or this (nonce, nc) pair was tried before. */
  | 'reused-nonce'
  | 'unknown-user'
  | 'wrong-password';

export type DigestVerification =
  | {
      readonly ok: true;
      readonly username: string;
      readonly realm: string;
      /** digest-uri as sent; the registrar checks it against the Request-URI loosely. */
      readonly uri: string;
      readonly algorithm: DigestAlgorithm;
    }
  | {
      readonly ok: false;
      readonly reason: DigestFailureReason;
      /** A sentence for the log. Never contains the response or a password. */
      readonly detail: string;
      /**
       * Answer with `challenge({ stale: true })`. Set only when the digest itself was right and
       * only the nonce was at fault (RFC 7616 §3.3: stale means "the nonce value was stale" but
       * the digest was valid), so the client retries without asking its user for a password, and
       * a throttle need not count the attempt as a failed login.
       */
      readonly staleChallenge: boolean;
    };
