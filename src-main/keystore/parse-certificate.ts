/**
 * Reads certificates with node:crypto's `X509Certificate` (OpenSSL: fast, and strict about DER),
 * never with node-forge, whose parser is slow and lenient.
 */
import { X509Certificate } from 'node:crypto';
import { CertificateFormatError } from './keystore-error.ts';

/** Parses one PEM certificate; anything unreadable becomes a `CertificateFormatError`. */
export function parseCertificate(certPem: string, what = 'certificate'): X509Certificate {
  if (!certPem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new CertificateFormatError(
      `The ${what} is not a PEM certificate (it should start with "-----BEGIN CERTIFICATE-----").`,
    );
  }
  try {
    return new X509Certificate(certPem);
  } catch (error) {
    throw new CertificateFormatError(`The ${what} is damaged and cannot be read as X.509.`, { cause: error });
  }
}
