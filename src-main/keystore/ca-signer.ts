/**
 * What issuing needs from a CA, parsed once per CA rather than once per certificate.
 *
 * Parsing the CA certificate with forge and the key with OpenSSL costs more than signing a
 * certificate; the login server issues with the same CA for its whole life, so we keep the
 * parsed form keyed by the PEM text.
 */
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateAuthority } from './certificate-authority.ts';
import { keysMatch, privateKeyObject } from './key-pair.ts';
import { CertificateFormatError, KeyMismatchError } from './keystore-error.ts';
import { parseCertificate } from './parse-certificate.ts';

export interface CaSigner {
  certPem: string;
  /** The CA's subject, copied verbatim into each certificate's issuer. */
  subject: forge.pki.CertificateField[];
  /** The CA's subjectKeyIdentifier (forge byte string), for authorityKeyIdentifier. */
  keyIdentifier: string;
  privateKey: KeyObject;
}

// A login server has one CA; tests and tools may make a few. The bound keeps a process that
// creates CAs in a loop from growing without limit.
const MAX_CACHED = 8;
const cache = new Map<string, CaSigner>();

/** The parsed form of `ca`, from the cache when the same PEM pair was seen before. */
export function caSignerFor(ca: CertificateAuthority): CaSigner {
  const cached = cache.get(ca.keyPem);
  if (cached && cached.certPem === ca.certPem) return cached;

  const signer = parseCa(ca);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(ca.keyPem, signer);
  return signer;
}

function parseCa(ca: CertificateAuthority): CaSigner {
  const x509 = parseCertificate(ca.certPem, 'CA certificate');
  if (!x509.ca) {
    throw new CertificateFormatError(
      `The CA certificate (${x509.subject}) is not a CA: it lacks basicConstraints CA:true.`,
    );
  }
  const privateKey = privateKeyObject(ca.keyPem);
  if (!keysMatch(privateKey, x509.publicKey)) {
    throw new KeyMismatchError(
      `The CA key does not belong to the CA certificate (${x509.subject}); check the login server's CA files.`,
    );
  }
  let cert: forge.pki.Certificate;
  try {
    cert = forge.pki.certificateFromPem(ca.certPem);
  } catch (error) {
    throw new CertificateFormatError(
      `The CA certificate (${x509.subject}) cannot sign Chordline certificates: node-forge reads only RSA CAs.`,
      { cause: error },
    );
  }
  return {
    certPem: ca.certPem,
    subject: cert.subject.attributes,
    keyIdentifier: subjectKeyIdentifier(cert),
    privateKey,
  };
}

/** The CA's own subjectKeyIdentifier if it has one, else forge's RFC 5280 §4.2.1.2 method 1. */
function subjectKeyIdentifier(cert: forge.pki.Certificate): string {
  const extension = cert.getExtension('subjectKeyIdentifier') as
    { subjectKeyIdentifier?: string } | undefined;
  if (extension?.subjectKeyIdentifier) return forge.util.hexToBytes(extension.subjectKeyIdentifier);
  return cert.generateSubjectKeyIdentifier().getBytes();
}
