/**
 * A user's identity as the key store holds it.
 */
export interface Identity {
  /** PKCS#8, decrypted: held in memory only while the key store is open. */
  privateKeyPem: string;
  publicKeyPem: string;
  /** Hash of the public key; fixed for the life of the key (node-id.ts). */
  nodeId: string;
  /** Absent until the login server issues a certificate. */
  certPem?: string;
  caCertPem?: string;
  /** `sip:alice@example.com`, from the certificate. */
  aor?: string;
}
