/**
 * Checks that a certificate handed to the key store (by the login server, or inside an imported
 * file) really is this identity's: issued for our key, and signed by the CA certificate that
 * came with it. Storing a wrong certificate would only fail later, at the first signed message,
 * with an error far from its cause.
 */
import { describeCertificate } from './describe-certificate.ts';
import type { CertificateDescription } from './describe-certificate.ts';
import { CertificateChainError, KeyMismatchError } from './keystore-error.ts';
import { parseCertificate } from './parse-certificate.ts';

/** Describes `certPem` after checking it against our NodeID and, if given, the CA certificate. */
export function checkIdentityCertificate(
  nodeId: string,
  certPem: string,
  caCertPem: string | undefined,
): CertificateDescription {
  const description = describeCertificate(certPem);
  if (description.nodeId !== nodeId) {
    throw new KeyMismatchError(
      `The certificate for ${description.aor} was issued for NodeID ${description.nodeId}, but this ` +
        `identity's key has NodeID ${nodeId}. Sign in again to get a certificate for this key.`,
    );
  }
  if (caCertPem !== undefined && !issuedBy(certPem, caCertPem)) {
    const ca = parseCertificate(caCertPem, 'CA certificate');
    throw new CertificateChainError(
      `The certificate for ${description.aor} (issuer ${description.issuer}) was not signed by the CA ` +
        `certificate given with it (${ca.subject}).`,
    );
  }
  return description;
}

/** Whether `caCertPem` is a CA certificate whose key signed `certPem`. */
export function issuedBy(certPem: string, caCertPem: string): boolean {
  const cert = parseCertificate(certPem);
  const ca = parseCertificate(caCertPem, 'CA certificate');
  return ca.ca && cert.checkIssued(ca) && cert.verify(ca.publicKey);
}
