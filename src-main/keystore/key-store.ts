/**
 * The user's identity on this computer: private key, certificate and CA certificate in
 * `<data folder>/identity/` (key-store-files.ts).
 *
 * Life of an identity:
 *
 *   open/create ──► no identity ──generateIdentity()──► key, no certificate
 *                                                          │ saveCertificate() (after sign-in)
 *   importPkcs12() ──────────────────────────────────────► key + certificate + CA certificate
 *                                                          │ exportPkcs12() / exportPem()
 *                                                          ▼ to another computer or SIP client
 *
 * The private key is decrypted once, on open, and held in memory; on disk it exists only
 * encrypted under the passphrase. Every write is crash-safe (write-file-atomic.ts).
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { buildPemBundle } from './build-pem-bundle.ts';
import { buildPkcs12 } from './build-pkcs12.ts';
import { checkIdentityCertificate, issuedBy } from './check-identity-certificate.ts';
import type { CertificateDescription } from './describe-certificate.ts';
import { describeCertificate } from './describe-certificate.ts';
import type { Identity } from './identity.ts';
import { generateKeyPair, publicKeyOf } from './key-pair.ts';
import { keyStoreFiles } from './key-store-files.ts';
import type { KeyStoreFiles } from './key-store-files.ts';
import {
  CertificateChainError,
  CertificateFormatError,
  IdentityExistsError,
  KeyMismatchError,
  KeyStoreError,
  NoCertificateError,
  NoIdentityError,
} from './keystore-error.ts';
import { nodeIdOf } from './node-id.ts';
import { decryptPrivateKey, encryptPrivateKey } from './private-key-encryption.ts';
import { readPkcs12 } from './read-pkcs12.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

/** Owner-only: the encrypted key is still worth an offline passphrase-guessing attack. */
const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_FOLDER_MODE = 0o700;

export class KeyStore {
  readonly #files: KeyStoreFiles;
  readonly #passphrase: string;
  #identity: Identity | undefined;

  private constructor(files: KeyStoreFiles, passphrase: string, identity: Identity | undefined) {
    this.#files = files;
    this.#passphrase = passphrase;
    this.#identity = identity;
  }

  /**
   * Opens the key store of `dataDir`, creating its folder if needed. If an identity exists,
   * `passphrase` must unlock it (`WrongPassphraseError`); if not, it will protect the identity
   * that `generateIdentity` creates.
   */
  static async open(dataDir: string, passphrase: string): Promise<KeyStore> {
    const files = keyStoreFiles(dataDir);
    await mkdir(files.folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
    return new KeyStore(files, passphrase, await loadIdentity(files, passphrase));
  }

  /** First run: opens a key store that must not hold an identity yet (`IdentityExistsError`). */
  static async create(dataDir: string, passphrase: string): Promise<KeyStore> {
    const files = keyStoreFiles(dataDir);
    if ((await readOptional(files.privateKey)) !== undefined) {
      throw new IdentityExistsError(
        `${files.folder} already holds an identity. Open it with its passphrase, or choose another data folder.`,
      );
    }
    requirePassphrase(passphrase);
    return KeyStore.open(dataDir, passphrase);
  }

  /**
   * Moves an identity to this computer: reads a PKCS#12 file made by `exportPkcs12` (or by
   * OpenSSL), checks that key, certificate and CA certificate belong together, and stores them
   * in `dataDir` under `newPassphrase`. Refuses a data folder that already has an identity.
   */
  static async importPkcs12(
    dataDir: string,
    p12: Uint8Array,
    password: string,
    newPassphrase: string,
  ): Promise<KeyStore> {
    const contents = readPkcs12(p12, password);
    const nodeId = nodeIdOf(publicKeyOf(contents.privateKeyPem));
    const caCertPem = contents.chainPems.find((pem) => issuedBy(contents.certPem, pem));
    if (caCertPem === undefined && contents.chainPems.length > 0) {
      throw new CertificateChainError(
        'The PKCS#12 file holds CA certificates, but none of them issued its certificate. ' +
          'Export it again from the computer that has the identity.',
      );
    }
    const description = checkIdentityCertificate(nodeId, contents.certPem, caCertPem);

    const store = await KeyStore.create(dataDir, newPassphrase);
    const encrypted = await encryptPrivateKey(contents.privateKeyPem, newPassphrase);
    // Key last: a crash part-way leaves certificates without a key, which counts as "no
    // identity", so the import can simply be repeated.
    if (caCertPem !== undefined) await writeFileAtomic(store.#files.caCertificate, caCertPem);
    await writeFileAtomic(store.#files.certificate, contents.certPem);
    await writeFileAtomic(store.#files.privateKey, encrypted, PRIVATE_FILE_MODE);
    store.#identity = {
      privateKeyPem: contents.privateKeyPem,
      publicKeyPem: publicKeyOf(contents.privateKeyPem),
      nodeId,
      certPem: contents.certPem,
      caCertPem,
      aor: description.aor,
    };
    return store;
  }

  /** The folder holding the identity files. */
  get folder(): string {
    return this.#files.folder;
  }

  hasIdentity(): boolean {
    return this.#identity !== undefined;
  }

  /**
   * Creates the identity: a new key pair, stored encrypted. Its NodeID is fixed by the key, so
   * replacing an existing identity moves the user to another place in the ring and voids the
   * certificate; that needs `{ replace: true }`.
   */
  async generateIdentity(
    options: { replace?: boolean } = {},
  ): Promise<{ publicKeyPem: string; nodeId: string }> {
    if (this.#identity !== undefined && options.replace !== true) {
      throw new IdentityExistsError(
        `This computer already has an identity (NodeID ${this.#identity.nodeId}). Creating a new one ` +
          'would change your NodeID and require signing in again.',
      );
    }
    requirePassphrase(this.#passphrase);
    const keys = await generateKeyPair();
    const encrypted = await encryptPrivateKey(keys.privateKeyPem, this.#passphrase);
    // Certificates first: a crash in between must leave the old key without its certificate,
    // never the new key beside the old key's certificate.
    await rm(this.#files.certificate, { force: true });
    await rm(this.#files.caCertificate, { force: true });
    await writeFileAtomic(this.#files.privateKey, encrypted, PRIVATE_FILE_MODE);
    const nodeId = nodeIdOf(keys.publicKeyPem);
    this.#identity = { privateKeyPem: keys.privateKeyPem, publicKeyPem: keys.publicKeyPem, nodeId };
    return { publicKeyPem: keys.publicKeyPem, nodeId };
  }

  /**
   * Stores the certificate the login server issued, after checking that it was issued for this
   * identity's key and signed by `caCertPem`.
   */
  async saveCertificate(certPem: string, caCertPem: string): Promise<CertificateDescription> {
    const identity = this.#requireIdentity();
    const description = checkIdentityCertificate(identity.nodeId, certPem, caCertPem);
    await writeFileAtomic(this.#files.caCertificate, caCertPem);
    await writeFileAtomic(this.#files.certificate, certPem);
    this.#identity = { ...identity, certPem, caCertPem, aor: description.aor };
    return description;
  }

  /** The identity, decrypted. `NoIdentityError` before `generateIdentity`. */
  identity(): Identity {
    return { ...this.#requireIdentity() };
  }

  /**
   * The identity as a PKCS#12 file protected by `password`: key, certificate and CA
   * certificate, friendlyName = the AOR. OpenSSL 3 reads it (`openssl pkcs12 -info`).
   */
  exportPkcs12(password: string): Buffer {
    const identity = this.#requireCertificate();
    return buildPkcs12({
      privateKeyPem: identity.privateKeyPem,
      certPem: identity.certPem,
      chainPems: identity.caCertPem ? [identity.caCertPem] : [],
      password,
      friendlyName: identity.aor,
    });
  }

  /**
   * Certificate and CA certificate as PEM; with `keyPassword`, also the private key as
   * encrypted PKCS#8. There is deliberately no way to export the key unencrypted.
   */
  exportPem(options: { keyPassword?: string } = {}): string {
    const identity = this.#requireCertificate();
    return buildPemBundle({
      certPem: identity.certPem,
      chainPems: identity.caCertPem ? [identity.caCertPem] : [],
      privateKeyPem: identity.privateKeyPem,
      keyPassword: options.keyPassword,
    });
  }

  #requireIdentity(): Identity {
    if (this.#identity === undefined) {
      throw new NoIdentityError(
        `There is no identity in ${this.#files.folder} yet. Create one, or import one exported from another computer.`,
      );
    }
    return this.#identity;
  }

  #requireCertificate(): Identity & { certPem: string; aor: string } {
    const identity = this.#requireIdentity();
    if (identity.certPem === undefined || identity.aor === undefined) {
      throw new NoCertificateError(
        'This identity has no certificate yet. Sign in to the login server first.',
      );
    }
    return { ...identity, certPem: identity.certPem, aor: identity.aor };
  }
}

async function loadIdentity(files: KeyStoreFiles, passphrase: string): Promise<Identity | undefined> {
  const encrypted = await readOptional(files.privateKey);
  if (encrypted === undefined) return undefined;
  const privateKeyPem = await decryptPrivateKey(encrypted, passphrase);
  const publicKeyPem = publicKeyOf(privateKeyPem);
  const nodeId = nodeIdOf(publicKeyPem);
  const certPem = await readOptional(files.certificate);
  if (certPem === undefined) return { privateKeyPem, publicKeyPem, nodeId };
  const caCertPem = await readOptional(files.caCertificate);

  // Only the key match is checked here, not the chain: these are our own files, and whether
  // the certificate is still trusted is trust/'s question at the time of use.
  let description: CertificateDescription;
  try {
    description = describeCertificate(certPem);
  } catch (error) {
    throw new CertificateFormatError(
      `${files.certificate} is damaged (${(error as Error).message}) Delete it and sign in again to get a new certificate.`,
      { cause: error },
    );
  }
  if (description.nodeId !== nodeId) {
    throw new KeyMismatchError(
      `${files.certificate} was issued for NodeID ${description.nodeId}, not for this identity's key ` +
        `(NodeID ${nodeId}). Delete that file and sign in again to get a new certificate.`,
    );
  }
  return { privateKeyPem, publicKeyPem, nodeId, certPem, caCertPem, aor: description.aor };
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KeyStoreError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function requirePassphrase(passphrase: string): void {
  if (passphrase.length === 0) {
    throw new KeyStoreError('Choose a passphrase: it protects your private key on this computer.');
  }
}
