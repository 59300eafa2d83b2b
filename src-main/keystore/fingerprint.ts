/**
 * Certificate fingerprints (ARCHITECTURE.md: "SHA-256 over the certificate's DER, 64 lowercase
 * hex digits"). Peers send `<CertificateRef>` (this value) instead of the certificate after the
 * first message, to keep datagrams under RFC 3261's 1300 bytes.
 */
import { createHash } from 'node:crypto';
import { parseCertificate } from './parse-certificate.ts';

/** Fingerprint of a certificate PEM. */
export function fingerprintOf(certPem: string): string {
  return fingerprintOfDer(parseCertificate(certPem).raw);
}

/** Fingerprint of a certificate's DER bytes. */
export function fingerprintOfDer(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}
