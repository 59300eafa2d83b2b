/**
 * PEM export of an identity: for tools and SIP clients that do not take PKCS#12.
 */
import { KeyStoreError } from './keystore-error.ts';
import { privateKeyObject } from './key-pair.ts';

export interface BuildPemBundleOptions {
  certPem: string;
  /** Appended after the certificate, making a chain file. */
  chainPems: readonly string[];
  /** Included only together with `keyPassword`: a private key never leaves unencrypted. */
  privateKeyPem?: string;
  keyPassword?: string;
}

/**
 * Certificate, then chain, then (if asked) the private key as encrypted PKCS#8
 * (`-----BEGIN ENCRYPTED PRIVATE KEY-----`, PBES2 / AES-256-CBC, which `openssl pkey -passin`
 * and every TLS stack read).
 */
export function buildPemBundle(options: BuildPemBundleOptions): string {
  const parts = [options.certPem, ...options.chainPems].map((pem) => pem.trim());
  if (options.keyPassword !== undefined) {
    if (options.keyPassword.length === 0) {
      throw new KeyStoreError(
        'Choose a password for the exported private key; an empty one would not protect it.',
      );
    }
    if (options.privateKeyPem === undefined) throw new KeyStoreError('There is no private key to export.');
    const encrypted = privateKeyObject(options.privateKeyPem).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: options.keyPassword,
    });
    parts.push(encrypted.toString().trim());
  }
  return `${parts.join('\n')}\n`;
}
