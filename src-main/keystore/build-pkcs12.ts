/**
 * Builds a password-protected PKCS#12 file: the way an identity moves to another computer, or
 * into another SIP client.
 */
import forge from 'node-forge';
import { KeyStoreError } from './keystore-error.ts';
import { addPkcs12Mac } from './pkcs12-mac.ts';
import { FORGE_PKCS12_OPTIONS } from './pkcs12-options.ts';

export interface BuildPkcs12Options {
  privateKeyPem: string;
  /** The end-entity certificate; it and the key get the friendlyName and localKeyId. */
  certPem: string;
  /** Issuer certificates, nearest first (for us: the CA certificate). */
  chainPems: readonly string[];
  password: string;
  /** Shown by key-chain tools; for us the AOR. */
  friendlyName: string;
}

/** The DER bytes of the PKCS#12 (PFX) file. */
export function buildPkcs12(options: BuildPkcs12Options): Buffer {
  if (options.password.length === 0) {
    throw new KeyStoreError(
      'Choose a password for the exported file: it protects your private key in transit.',
    );
  }
  let key: forge.pki.rsa.PrivateKey;
  let certificates: forge.pki.Certificate[];
  try {
    key = forge.pki.privateKeyFromPem(options.privateKeyPem);
    certificates = [options.certPem, ...options.chainPems].map((pem) => forge.pki.certificateFromPem(pem));
  } catch (error) {
    throw new KeyStoreError('The identity cannot be exported as PKCS#12: node-forge reads only RSA keys.', {
      cause: error,
    });
  }
  // PBES2 keys from the password's UTF-8 bytes (what OpenSSL does); forge would use the raw JS
  // string. The MAC, added below, keys from the password itself.
  const pfx = forge.pkcs12.toPkcs12Asn1(key, certificates, forge.util.encodeUtf8(options.password), {
    ...FORGE_PKCS12_OPTIONS,
    friendlyName: options.friendlyName,
  });
  addPkcs12Mac(pfx, options.password, FORGE_PKCS12_OPTIONS.count);
  return Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary');
}
