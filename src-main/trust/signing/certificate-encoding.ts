import { createHash } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;

/**
 * The DER bytes of one certificate given as PEM, or `undefined` if the text is not exactly one
 * PEM certificate.
 *
 * Several blocks are refused rather than taking the first: the fingerprint we cache and revoke by
 * must be computed over exactly the certificate we then trust.
 */
export function derFromPem(pem: string): Buffer | undefined {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length !== 1) return undefined;
  return bytesFromBase64(blocks[0][1]);
}

/**
 * The bytes of a base64 element (`<Certificate>`, `<Signature>`), or `undefined` if it is not
 * strict base64 (whitespace allowed). `Buffer.from(…, 'base64')` alone skips any junk character,
 * which would let two different texts stand for the same bytes.
 */
export function bytesFromBase64(base64: string): Buffer | undefined {
  const compact = base64.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** PEM for DER bytes, 64 characters a line as OpenSSL writes it. */
export function pemFromDer(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Certificate fingerprint (ARCHITECTURE.md): SHA-256 over the DER, 64 lowercase hex digits. */
export function fingerprintOfDer(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * A `<CertificateRef>` in the canonical fingerprint form, or `undefined`. Colons and upper case
 * (the way OpenSSL prints fingerprints) are accepted, since a person may paste one.
 */
export function normalizeFingerprint(ref: string): string | undefined {
  const compact = ref.trim().replace(/:/g, '').toLowerCase();
  return FINGERPRINT.test(compact) ? compact : undefined;
}

/**
 * A certificate serial number in one spelling: lowercase hex without colons or leading zeros.
 * node:crypto prints `0A1B…` upper case without the DER sign byte, node-forge prints `00a1b…`; the
 * revocation list must match either.
 */
export function normalizeSerial(serial: string): string {
  const compact = serial.trim().replace(/:/g, '').toLowerCase().replace(/^0+/, '');
  return compact === '' ? '0' : compact;
}
