import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Self-validating nonces: the server can tell its own fresh nonce from a forged or expired one
 * without remembering every nonce it handed out (a 401 costs the sender nothing, so storing
 * each one would let anyone fill our memory).
 *
 *   nonce = base64url( issuedAt (8 bytes, ms, big-endian) | random (12) | mac (16) )
 *   mac   = HMAC-SHA256(secret, "chordline-digest-nonce-1" 0x00 realm 0x00 issuedAt | random)[0..16]
 *
 * RFC 7616 §3.3 suggests exactly this shape ("time-stamp H(time-stamp ":" ETag ":" secret-data)").
 * The realm is inside the MAC so that two authenticators sharing a secret cannot accept each
 * other's nonces. 48 base64url characters need no escaping inside a quoted-string.
 */
export type NonceInspection =
  | { readonly status: 'fresh'; readonly issuedAt: number; readonly expiresAt: number }
  | { readonly status: 'expired'; readonly issuedAt: number }
  | { readonly status: 'forged' };

const TIME_BYTES = 8;
const RANDOM_BYTES = 12;
const MAC_BYTES = 16;
const BODY_BYTES = TIME_BYTES + RANDOM_BYTES;
const NONCE_PATTERN = /^[A-Za-z0-9_-]{48}$/;
const DOMAIN_TAG = 'chordline-digest-nonce-1';

export interface NonceIssuerOptions {
  readonly secret: Uint8Array;
  readonly realm: string;
  readonly lifetimeMs: number;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
}

export class NonceIssuer {
  readonly #options: NonceIssuerOptions;

  constructor(options: NonceIssuerOptions) {
    this.#options = options;
  }

  issue(): string {
    const body = Buffer.alloc(BODY_BYTES);
    body.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.#options.clock()))), 0);
    randomBytes(RANDOM_BYTES).copy(body, TIME_BYTES);
    return Buffer.concat([body, this.#mac(body)]).toString('base64url');
  }

  inspect(nonce: string): NonceInspection {
    if (!NONCE_PATTERN.test(nonce)) return { status: 'forged' };
    const bytes = Buffer.from(nonce, 'base64url');
    const body = bytes.subarray(0, BODY_BYTES);
    if (!timingSafeEqual(bytes.subarray(BODY_BYTES), this.#mac(body))) return { status: 'forged' };
    const issuedAt = Number(body.readBigUInt64BE(0));
    const expiresAt = issuedAt + this.#options.lifetimeMs;
    const now = this.#options.clock();
    // A nonce "from the future" is ours (the MAC says so) and means the clock stepped back; it is
    // honoured for at most one lifetime so a large step cannot make nonces live for ever.
    if (now > expiresAt || issuedAt - now > this.#options.lifetimeMs) return { status: 'expired', issuedAt };
    return { status: 'fresh', issuedAt, expiresAt };
  }

  #mac(body: Buffer): Buffer {
    return createHmac('sha256', this.#options.secret)
      .update(`${DOMAIN_TAG}\0${this.#options.realm}\0`, 'utf8')
      .update(body)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
