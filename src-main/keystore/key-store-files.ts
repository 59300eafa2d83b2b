/**
 * Where a key store keeps its files: `<data folder>/identity/`.
 *
 *   identity/
 *     private-key.json     the private key, encrypted (private-key-encryption.ts), mode 0600
 *     certificate.pem      the user certificate, once the login server has issued it
 *     ca-certificate.pem   the CA certificate that issued it
 *
 * Only the private key is required; a fresh identity has no certificate until sign-in.
 */
import { join } from 'node:path';

export interface KeyStoreFiles {
  folder: string;
  privateKey: string;
  certificate: string;
  caCertificate: string;
}

export function keyStoreFiles(dataDir: string): KeyStoreFiles {
  const folder = join(dataDir, 'identity');
  return {
    folder,
    privateKey: join(folder, 'private-key.json'),
    certificate: join(folder, 'certificate.pem'),
    caCertificate: join(folder, 'ca-certificate.pem'),
  };
}
