/**
 * Reads a Chordline user certificate into plain values, with node:crypto (OpenSSL) for speed:
 * peers describe every certificate they receive.
 */
import { derToPem } from './der-to-pem.ts';
import { fingerprintOfDer } from './fingerprint.ts';
import { spkiDer } from './key-pair.ts';
import { CertificateFormatError } from './keystore-error.ts';
import { NODE_ID_URI_PREFIX, isNodeId, nodeIdOfSpki } from './node-id.ts';
import { parseCertificate } from './parse-certificate.ts';

export interface CertificateDescription {
  /** `sip:alice@example.com`, from the subjectAltName. */
  aor: string;
  /** From the subjectAltName, and checked against the public key. */
  nodeId: string;
  /** As OpenSSL prints it, e.g. `CN=alice@example.com`. */
  subject: string;
  issuer: string;
  /** Lowercase hex, as `issueCertificate` reports it (32 digits for its certificates). */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  fingerprint: string;
  publicKeyPem: string;
}

/**
 * Describes a user certificate. Refuses (`CertificateFormatError`) certificates without the two
 * subjectAltName URIs, and those whose NodeID is not the hash of their key: such a certificate
 * would let its holder pick a ring position, which the NodeID rule exists to prevent. Whether the
 * certificate is trusted (issuer, dates, revocation) is trust/'s question, not this one.
 */
export function describeCertificate(certPem: string): CertificateDescription {
  const x509 = parseCertificate(certPem);
  const uris = subjectAltNameUris(x509.subjectAltName ?? '');
  // Exactly one of each: with two, another reader might pick the other one.
  const aors = uris.filter((uri) => uri.startsWith('sip:'));
  const nodeUris = uris.filter((uri) => uri.startsWith(NODE_ID_URI_PREFIX));
  if (aors.length !== 1 || nodeUris.length !== 1) {
    throw new CertificateFormatError(
      `The certificate for ${x509.subject} is not a Chordline user certificate: it needs exactly one ` +
        'subjectAltName URI sip:<user>@<domain> and one urn:chordline:node:<NodeID>.',
    );
  }
  const [aor] = aors;
  const nodeId = nodeUris[0].slice(NODE_ID_URI_PREFIX.length);
  const spki = spkiDer(x509.publicKey);
  const keyNodeId = nodeIdOfSpki(spki);
  if (!isNodeId(nodeId) || nodeId !== keyNodeId) {
    throw new CertificateFormatError(
      `The certificate for ${aor} names NodeID ${nodeId}, but its public key has NodeID ` +
        `${keyNodeId}; it was not issued for this key and must not be used.`,
    );
  }
  return {
    aor,
    nodeId,
    subject: x509.subject,
    issuer: x509.issuer,
    serial: x509.serialNumber.toLowerCase(),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    fingerprint: fingerprintOfDer(x509.raw),
    // Armouring the DER we already have skips a second OpenSSL export (~70 µs).
    publicKeyPem: derToPem(spki, 'PUBLIC KEY'),
  };
}

/**
 * The URI entries of node:crypto's subjectAltName text, e.g.
 * `URI:sip:alice@example.com, URI:urn:chordline:node:…`. Since Node 17.3 / 16.13.2
 * (CVE-2021-44532) a value with a comma or quote in it is written as a JSON string, so the text
 * splits unambiguously.
 */
function subjectAltNameUris(text: string): string[] {
  const uris: string[] = [];
  const entry = /(?:^|, )([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)/g;
  for (const [, type, value] of text.matchAll(entry)) {
    if (type === 'URI') uris.push(value.startsWith('"') ? (JSON.parse(value) as string) : value);
  }
  return uris;
}
