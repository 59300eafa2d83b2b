/** Electron's safeStorage as the Keyring key-passphrase.ts needs. */
import { safeStorage } from 'electron';
import type { Keyring } from './key-passphrase.ts';

export const safeStorageKeyring: Keyring = {
  available() {
    if (!safeStorage.isEncryptionAvailable()) return false;
    // On Linux without a secret service Chromium "encrypts" with a password written in its own
    // source ('basic_text'): that protects nothing, so it counts as no key ring.
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  },
  seal: (secret) => safeStorage.encryptString(secret),
  unseal: (sealed) => safeStorage.decryptString(sealed),
};
