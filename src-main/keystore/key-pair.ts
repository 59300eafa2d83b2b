/**
 * Key pairs as PEM text: PKCS#8 private, SPKI public (ARCHITECTURE.md, "key pair").
 */
import { createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCallback } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { KEY_ALGORITHM } from './key-algorithm.ts';
import { KeyStoreError } from './keystore-error.ts';

export interface KeyPair {
  /** PKCS#8, unencrypted: keep it in memory or encrypt it (see `encryptPrivateKey`). */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo. */
  publicKeyPem: string;
}

/**
 * Generates a fresh key pair on libuv's thread pool. node-forge's pure-JS RSA key generation
 * would block the main process (and with it the SIP stack) for seconds; OpenSSL takes a few
 * dozen milliseconds and does not block at all.
 */
export function generateKeyPair(): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPairCallback(
      KEY_ALGORITHM.type,
      {
        modulusLength: KEY_ALGORITHM.modulusLength,
        publicExponent: KEY_ALGORITHM.publicExponent,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (error, publicKeyPem, privateKeyPem) => {
        if (error)
          reject(new KeyStoreError(`Could not generate a ${KEY_ALGORITHM.name} key pair.`, { cause: error }));
        else resolve({ privateKeyPem, publicKeyPem });
      },
    );
  });
}

/** Parses a private key PEM, turning OpenSSL's terse errors into a `KeyStoreError`. */
export function privateKeyObject(privateKeyPem: string): KeyObject {
  try {
    return createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new KeyStoreError('The private key is not a readable, unencrypted PEM key.', { cause: error });
  }
}

/** Parses a public key PEM (SPKI, or a certificate: node:crypto takes either). */
export function publicKeyObject(publicKeyPem: string): KeyObject {
  try {
    return createPublicKey(publicKeyPem);
  } catch (error) {
    throw new KeyStoreError('The public key is not a readable PEM key.', { cause: error });
  }
}

/** The SPKI PEM of a private key's public half: a private key is all we store on disk. */
export function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyObject(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

/** DER SubjectPublicKeyInfo: the byte string that NodeIDs hash and key comparisons compare. */
export function spkiDer(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'der' });
}

/** Whether a private key and a public key (or certificate) form a pair. */
export function keysMatch(privateKey: KeyObject, publicKey: KeyObject): boolean {
  return spkiDer(privateKey).equals(spkiDer(publicKey));
}
