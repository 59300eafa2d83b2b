/**
 * Private keys at rest: encrypted under the user's passphrase.
 *
 * The file is a small JSON document that records everything needed to decrypt it, so that the
 * parameters can change without breaking old files:
 *
 *   {
 *     "format": "chordline-private-key", "version": 1,
 *     "kind": "scrypt-aes-256-gcm",
 *     "kdf": { "name": "scrypt", "N": 32768, "r": 8, "p": 1, "salt": "<base64>" },
 *     "iv": "<base64>", "tag": "<base64>", "ciphertext": "<base64 of the PKCS#8 PEM>"
 *   }
 *
 * `kind` names the wrapping. A later issue adds Electron's safeStorage (the OS keychain) as
 * another kind beside this one; readers refuse kinds they do not know rather than guess.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import { KeyStoreError, WrongPassphraseError } from './keystore-error.ts';

const FORMAT = 'chordline-private-key';
const VERSION = 1;
const KIND = 'scrypt-aes-256-gcm';

/**
 * scrypt cost: N = 2^15, r = 8, p = 1 needs 32 MiB and about 70 ms (measured in
 * test/unit/keystore), paid once per start of the app, off the main thread. Each passphrase guess
 * costs an attacker who copied the file the same, which is the point. Files record their own
 * parameters, so raising N later does not break old files.
 */
const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;

/** A tampered file must not make us allocate gigabytes (scrypt needs 128·N·r bytes). */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

export interface ScryptParameters {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
}

/** The JSON document, version 1, kind scrypt-aes-256-gcm. */
export interface EncryptedPrivateKey {
  format: typeof FORMAT;
  version: typeof VERSION;
  kind: typeof KIND;
  kdf: ScryptParameters;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** Encrypts a PEM private key under `passphrase`; returns the JSON text to store. */
export async function encryptPrivateKey(privateKeyPem: string, passphrase: string): Promise<string> {
  if (passphrase.length === 0) {
    throw new KeyStoreError('Choose a passphrase: an empty one would leave the private key unprotected.');
  }
  const kdf: ScryptParameters = { name: 'scrypt', ...SCRYPT_COST, salt: randomBytes(16).toString('base64') };
  const key = await deriveKey(passphrase, kdf);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(kdf));
  const ciphertext = Buffer.concat([cipher.update(privateKeyPem, 'utf8'), cipher.final()]);
  const document: EncryptedPrivateKey = {
    format: FORMAT,
    version: VERSION,
    kind: KIND,
    kdf,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Decrypts what `encryptPrivateKey` wrote. A wrong passphrase is a `WrongPassphraseError`. */
export async function decryptPrivateKey(encrypted: string, passphrase: string): Promise<string> {
  const document = parseDocument(encrypted);
  const key = await deriveKey(passphrase, document.kdf);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(document.iv, 'base64'));
  decipher.setAAD(associatedData(document.kdf));
  decipher.setAuthTag(Buffer.from(document.tag, 'base64'));
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(document.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  } catch (error) {
    // GCM cannot tell a wrong passphrase from a modified file; the first is far more likely.
    throw new WrongPassphraseError(
      'The passphrase does not unlock this private key. Check it and try again ' +
        '(passphrases are case-sensitive).',
      { cause: error },
    );
  }
}

/**
 * The passphrase is NFC-normalised first: macOS input methods may produce decomposed accents
 * (NFD) where Windows produces composed ones, and "Grüße" must open the key on both.
 */
function deriveKey(passphrase: string, kdf: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, options, (error, key) =>
      error
        ? reject(new KeyStoreError('Could not derive the key-encryption key.', { cause: error }))
        : resolve(key),
    );
  });
}

/** Binds the header to the ciphertext, so a file cannot be re-labelled with other parameters. */
function associatedData(kdf: ScryptParameters): Buffer {
  return Buffer.from(JSON.stringify([FORMAT, VERSION, KIND, kdf.N, kdf.r, kdf.p, kdf.salt]));
}

function parseDocument(text: string): EncryptedPrivateKey {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw damaged('it is not JSON', error);
  }
  const document = value as Partial<EncryptedPrivateKey> | null;
  if (document?.format !== FORMAT) throw damaged('it is not a Chordline private key file');
  if (document.version !== VERSION || document.kind !== KIND) {
    throw new KeyStoreError(
      `This private key file is version ${String(document.version)}, kind "${String(document.kind)}", ` +
        'written by a newer Chordline. Update Chordline to read it.',
    );
  }
  const { kdf } = document;
  const validCost =
    kdf?.name === 'scrypt' &&
    Number.isInteger(kdf.N) &&
    kdf.N > 1 &&
    (kdf.N & (kdf.N - 1)) === 0 &&
    Number.isInteger(kdf.r) &&
    kdf.r >= 1 &&
    128 * kdf.N * kdf.r <= MAX_SCRYPT_MEMORY &&
    Number.isInteger(kdf.p) &&
    kdf.p >= 1 &&
    kdf.p <= 16;
  if (!validCost || ![kdf.salt, document.iv, document.tag, document.ciphertext].every(isBase64)) {
    throw damaged('its parameters are missing or out of range');
  }
  return document as EncryptedPrivateKey;
}

function isBase64(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);
}

function damaged(reason: string, cause?: unknown): KeyStoreError {
  return new KeyStoreError(
    `The private key file is damaged (${reason}). Restore it from a backup or an exported ` +
      'identity (PKCS#12), or create a new identity.',
    { cause },
  );
}
