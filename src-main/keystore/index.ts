/**
 * keystore/: keys, certificates and PKCS#12. The only folder that imports node-forge, and it
 * uses forge only to lay out certificates and PKCS#12 files; keys, signatures and hashes come
 * from node:crypto.
 */
export { KEY_ALGORITHM } from './key-algorithm.ts';
export { generateKeyPair, publicKeyOf } from './key-pair.ts';
export type { KeyPair } from './key-pair.ts';
export { nodeIdOf, isNodeId, nodeIdUri, NODE_ID_URI_PREFIX } from './node-id.ts';
export { fingerprintOf } from './fingerprint.ts';
export { parseAor } from './aor.ts';
export type { Aor } from './aor.ts';
export { createCertificateAuthority } from './certificate-authority.ts';
export type { CertificateAuthority, CreateCertificateAuthorityOptions } from './certificate-authority.ts';
export { issueCertificate } from './issue-certificate.ts';
export type { IssueCertificateOptions, IssuedCertificate } from './issue-certificate.ts';
export { CLOCK_SKEW_MS } from './validity.ts';
export { describeCertificate } from './describe-certificate.ts';
export type { CertificateDescription } from './describe-certificate.ts';
export { checkIdentityCertificate, issuedBy } from './check-identity-certificate.ts';
export { encryptPrivateKey, decryptPrivateKey } from './private-key-encryption.ts';
export type { EncryptedPrivateKey } from './private-key-encryption.ts';
export { buildPkcs12 } from './build-pkcs12.ts';
export type { BuildPkcs12Options } from './build-pkcs12.ts';
export { readPkcs12 } from './read-pkcs12.ts';
export type { Pkcs12Contents } from './read-pkcs12.ts';
export { buildPemBundle } from './build-pem-bundle.ts';
export type { BuildPemBundleOptions } from './build-pem-bundle.ts';
export { KeyStore } from './key-store.ts';
export type { Identity } from './identity.ts';
export { writeFileAtomic } from './write-file-atomic.ts';
export {
  KeyStoreError,
  WrongPassphraseError,
  CertificateFormatError,
  CertificateChainError,
  KeyMismatchError,
  InvalidAorError,
  NoIdentityError,
  NoCertificateError,
  IdentityExistsError,
} from './keystore-error.ts';
