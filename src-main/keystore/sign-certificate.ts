/**
 * Signs a node-forge certificate with node:crypto.
 *
 * node-forge builds the TBSCertificate well but signs in pure JavaScript: about 20 ms per RSA-2048
 * signature, against about 0.3 ms for OpenSSL. Certificate issuance is on the login server's hot
 * path, so forge only lays out the bytes and OpenSSL signs them. This mirrors what forge's own
 * `cert.sign` does, minus the arithmetic.
 */
import { sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { KEY_ALGORITHM } from './key-algorithm.ts';

// `getTBSCertificate` is public in node-forge (x509.js) but missing from @types/node-forge.
const pki = forge.pki as typeof forge.pki & {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
};

/** Signs `cert` in place with `issuerKey` and returns its DER encoding. */
export function signCertificate(cert: forge.pki.Certificate, issuerKey: KeyObject): Buffer {
  cert.signatureOid = KEY_ALGORITHM.certificateSignatureOid;
  cert.siginfo.algorithmOid = KEY_ALGORITHM.certificateSignatureOid;
  cert.tbsCertificate = pki.getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  // forge keeps byte strings in JS strings, one char per byte ("binary" = latin1).
  cert.signature = sign(KEY_ALGORITHM.digest, tbs, issuerKey).toString('binary');
  return Buffer.from(forge.asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), 'binary');
}
