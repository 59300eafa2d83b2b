/**
 * PEM armour (RFC 7468) for DER bytes that node-forge or node:crypto produced.
 */

/** Formats DER bytes as PEM with the usual 64-character lines, as OpenSSL writes it. */
export function derToPem(der: Uint8Array, label: string): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
