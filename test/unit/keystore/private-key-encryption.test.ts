import { describe, expect, it } from 'vitest';
import {
  KeyStoreError,
  WrongPassphraseError,
  decryptPrivateKey,
  encryptPrivateKey,
  generateKeyPair,
} from '../../../src-main/keystore/index.ts';
import type { EncryptedPrivateKey } from '../../../src-main/keystore/index.ts';

describe("Alice's private key at rest, under her passphrase", () => {
  it('decrypts with her passphrase to exactly the key she had (and the time scrypt takes is measured)', async () => {
    const { privateKeyPem } = await generateKeyPair();
    const start = performance.now();
    const encrypted = await encryptPrivateKey(privateKeyPem, 'correct horse battery staple');
    const encryptMs = performance.now() - start;
    const decryptStart = performance.now();
    const decrypted = await decryptPrivateKey(encrypted, 'correct horse battery staple');
    const decryptMs = performance.now() - decryptStart;
    console.log(
      `keystore bench: scrypt N=2^15 encrypt ${encryptMs.toFixed(0)} ms, decrypt ${decryptMs.toFixed(0)} ms`,
    );

    expect(decrypted).toBe(privateKeyPem);
  });

  it('is stored as a small JSON document that records its KDF, salt, IV, tag and kind, and no key material', async () => {
    const { privateKeyPem } = await generateKeyPair();
    const encrypted = await encryptPrivateKey(privateKeyPem, 'passphrase');
    const document = JSON.parse(encrypted) as EncryptedPrivateKey;

    expect(document.format).toBe('chordline-private-key');
    expect(document.version).toBe(1);
    expect(document.kind).toBe('scrypt-aes-256-gcm');
    expect(document.kdf).toMatchObject({ name: 'scrypt', N: 32768, r: 8, p: 1 });
    expect(Buffer.from(document.kdf.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(document.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(document.tag, 'base64')).toHaveLength(16);
    expect(encrypted).not.toContain('PRIVATE KEY');
    const body = privateKeyPem.split('\n')[1];
    expect(encrypted).not.toContain(body);
  });

  it('uses a fresh salt and IV each time, so two files of the same key look unrelated', async () => {
    const { privateKeyPem } = await generateKeyPair();
    const [first, second] = await Promise.all([
      encryptPrivateKey(privateKeyPem, 'passphrase'),
      encryptPrivateKey(privateKeyPem, 'passphrase'),
    ]);
    const a = JSON.parse(first) as EncryptedPrivateKey;
    const b = JSON.parse(second) as EncryptedPrivateKey;
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('refuses a wrong passphrase with a WrongPassphraseError, one letter off included', async () => {
    const { privateKeyPem } = await generateKeyPair();
    const encrypted = await encryptPrivateKey(privateKeyPem, 'Passphrase');

    await expect(decryptPrivateKey(encrypted, 'passphrase')).rejects.toThrow(WrongPassphraseError);
    await expect(decryptPrivateKey(encrypted, '')).rejects.toThrow(/does not unlock this private key/);
  });

  it('opens on a Mac what was typed on Windows: "Grüße" composed or decomposed is the same passphrase', async () => {
    const { privateKeyPem } = await generateKeyPair();
    const composed = 'Grüße';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);

    const encrypted = await encryptPrivateKey(privateKeyPem, composed);
    expect(await decryptPrivateKey(encrypted, decomposed)).toBe(privateKeyPem);
  });

  it('refuses a file whose parameters were altered, rather than trying them', async () => {
    const { privateKeyPem } = await generateKeyPair();
    const document = JSON.parse(await encryptPrivateKey(privateKeyPem, 'passphrase')) as EncryptedPrivateKey;

    const huge = JSON.stringify({ ...document, kdf: { ...document.kdf, N: 2 ** 30 } });
    await expect(decryptPrivateKey(huge, 'passphrase')).rejects.toThrow(/damaged/);
    const cheaper = JSON.stringify({ ...document, kdf: { ...document.kdf, N: 2 ** 10 } });
    await expect(decryptPrivateKey(cheaper, 'passphrase')).rejects.toThrow(WrongPassphraseError);
    await expect(decryptPrivateKey('{"format":"something else"}', 'passphrase')).rejects.toThrow(/damaged/);
    await expect(decryptPrivateKey('not json', 'passphrase')).rejects.toThrow(KeyStoreError);
  });

  it('tells the user to update Chordline when the file is a kind it does not know (e.g. a future safeStorage wrapping)', async () => {
    const { privateKeyPem } = await generateKeyPair();
    const document = JSON.parse(await encryptPrivateKey(privateKeyPem, 'passphrase')) as EncryptedPrivateKey;
    const future = JSON.stringify({ ...document, version: 2, kind: 'electron-safe-storage' });

    await expect(decryptPrivateKey(future, 'passphrase')).rejects.toThrow(/newer Chordline/);
  });

  it('refuses to encrypt under an empty passphrase', async () => {
    const { privateKeyPem } = await generateKeyPair();
    await expect(encryptPrivateKey(privateKeyPem, '')).rejects.toThrow(KeyStoreError);
  });
});
