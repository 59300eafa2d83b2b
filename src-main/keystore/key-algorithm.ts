/**
 * The one place that names the key algorithm (ARCHITECTURE.md: "RSA-2048, generated with
 * node:crypto"). Everything else in keystore/ reads these settings, so moving to another
 * algorithm later is an edit here plus the certificate builder: node-forge can only put RSA
 * public keys into a certificate, which is why the signature OID lives here too.
 */
import forge from 'node-forge';

export const KEY_ALGORITHM = {
  /** Shown in error messages and logs. */
  name: 'RSA-2048',
  /** node:crypto `generateKeyPair` type. */
  type: 'rsa',
  modulusLength: 2048,
  publicExponent: 0x10001,
  /** Digest for certificate signatures (ARCHITECTURE.md: "signed SHA-256/RSA"). */
  digest: 'sha256',
  /** The certificate's signatureAlgorithm, matching `digest` and the key type. */
  certificateSignatureOid: forge.pki.oids.sha256WithRSAEncryption,
} as const;
