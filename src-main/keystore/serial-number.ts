/**
 * Random certificate serial numbers (ARCHITECTURE.md: "random 128-bit serial").
 */
import { randomBytes } from 'node:crypto';

export interface SerialNumber {
  /** 32 lowercase hex digits: the value, as `describeCertificate` reports it. */
  hex: string;
  /** The DER INTEGER content as hex, which node-forge writes verbatim. */
  derHex: string;
}

/**
 * A random positive 128-bit serial number.
 *
 * node-forge writes the hex it is given as the INTEGER's content octets, so two DER rules are
 * ours to keep (RFC 5280 §4.1.2.2 wants a positive integer; OpenSSL rejects non-minimal
 * encodings): a first byte of 0x00 would be padding, so we draw again (probability 1/256); a
 * first byte ≥ 0x80 would read as negative, so it gets a 0x00 prefix (17 octets, within the
 * 20 that RFC 5280 allows).
 */
export function randomSerialNumber(): SerialNumber {
  let bytes = randomBytes(16);
  while (bytes[0] === 0) bytes = randomBytes(16);
  const hex = bytes.toString('hex');
  return { hex, derHex: bytes[0] >= 0x80 ? `00${hex}` : hex };
}
