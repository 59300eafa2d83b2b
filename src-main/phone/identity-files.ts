import type { ExportedFile, IdentityView } from '../ipc/contract.ts';
import type { CertificateDescription, KeyStore } from '../keystore/index.ts';

/** What the identity screen shows of a certificate. */
export function identityView(certificate: CertificateDescription): IdentityView {
  return {
    aor: certificate.aor,
    nodeId: certificate.nodeId,
    serial: certificate.serial,
    issuer: certificate.issuer,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    fingerprint: certificate.fingerprint,
  };
}

/** The identity as a PKCS#12 file (key, certificate, CA), protected by `password`. */
export function pkcs12File(keystore: KeyStore, aor: string, password: string): ExportedFile {
  return {
    fileName: `${baseName(aor)}.p12`,
    mimeType: 'application/x-pkcs12',
    base64: keystore.exportPkcs12(password).toString('base64'),
  };
}

/** The certificate and its CA as PEM (no key: a key only leaves in a password-protected file). */
export function pemFile(keystore: KeyStore, aor: string): ExportedFile {
  return {
    fileName: `${baseName(aor)}.pem`,
    mimeType: 'application/x-pem-file',
    base64: Buffer.from(keystore.exportPem(), 'utf8').toString('base64'),
  };
}

/** sip:alice@example.com → alice@example.com, safe as a file name on every system. */
function baseName(aor: string): string {
  return aor.replace(/^sips?:/, '').replace(/[^A-Za-z0-9@._-]/g, '_') || 'chordline-identity';
}
