import { createHash } from 'node:crypto';

/**
 * The digest algorithms Chordline speaks. RFC 8760 brings SHA-256 to SIP; MD5 stays because
 * RFC 3261 §22.4 made it the only one every SIP client knows (sipp, old softphones, sip.js).
 */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

/**
 * Preference order. RFC 8760 §2.4: a server offering several algorithms sends one challenge per
 * algorithm, most preferred first; a client picks the first one it supports.
 */
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

/**
 * Maps the `algorithm` parameter as sent to one we support, or undefined (e.g. "MD5-sess",
 * "SHA-512-256"). Names are case-insensitive (RFC 7616 §3.3: "algorithm names are case
 * insensitive"). An absent parameter means MD5 (RFC 2617 §3.2.1: "If this is not present it is
 * assumed to be MD5").
 */
export function parseDigestAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return 'MD5';
  const upper = value.toUpperCase();
  if (upper === 'MD5') return 'MD5';
  if (upper === 'SHA-256') return 'SHA-256';
  return undefined;
}

/** H(data) of RFC 7616 §3.4: the lowercase hex digest of the UTF-8 bytes. */
export function digestHex(algorithm: DigestAlgorithm, data: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(data, 'utf8')
    .digest('hex');
}

/** Length in hex digits of H(data), which is also the length of a well-formed `response`. */
export function digestHexLength(algorithm: DigestAlgorithm): number {
  return algorithm === 'MD5' ? 32 : 64;
}
