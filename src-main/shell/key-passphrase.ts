/**
 * The key store's passphrase, which PhoneCore asks for whenever it opens or writes the private
 * key. Kept one of three ways, chosen once per data folder and recorded in key-protection.json:
 *
 * - 'keyring': the computer has a key ring Electron's safeStorage can use (macOS Keychain,
 *   Windows DPAPI, GNOME libsecret or KWallet). A random passphrase is made, sealed with it into
 *   key-passphrase.sealed, and the person is never asked: the key opens for this OS user only.
 * - 'passphrase': no key ring (a Linux session without one, where safeStorage would fall back to
 *   a key written in Chromium's source: no protection at all). The person chooses a passphrase,
 *   typed twice, in a small window when the phone first creates its key, and types it again in
 *   that window at each start. CHORDLINE_PASSPHRASE answers instead when set, as for the command
 *   line (and a data folder made by `chordline start` is opened this way).
 * - 'file': the folder was made by browser mode, whose passphrase is a random one in a file only
 *   the owner can read (src-main/phone/passphrase-file.ts); the desktop keeps using it, so that
 *   both modes still open the same folder.
 *
 * The choice is recorded, not re-made at each start: a key ring that appears later must not
 * replace a passphrase the person chose, and one that disappears must say so, not ask for a
 * passphrase nobody ever chose.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PassphraseRequest } from '../ipc/electron-channels.ts';
import { writeFileAtomic } from '../keystore/write-file-atomic.ts';
import { passphraseFromFile } from '../phone/passphrase-file.ts';
import { phoneFolders } from '../phone/phone-folders.ts';

export const PROTECTION_FILE = 'key-protection.json';
export const SEALED_FILE = 'key-passphrase.sealed';

/** safeStorage, as this module needs it. */
export interface Keyring {
  /** Whether sealing protects anything here (false for Chromium's hard-coded Linux fallback). */
  available(): boolean;
  seal(secret: string): Buffer;
  unseal(sealed: Buffer): string;
}

/** Asks the person; null when they cancel. */
export type AskPassphrase = (request: PassphraseRequest) => Promise<string | null>;

export interface KeyPassphraseOptions {
  dataDir: string;
  keyring: Keyring;
  ask: AskPassphrase;
  env?: Readonly<Record<string, string | undefined>>;
}

export class KeyPassphraseError extends Error {
  override name = 'KeyPassphraseError';
}

type Method = 'keyring' | 'passphrase' | 'file';

/**
 * The `keyPassphrase` callback for PhoneCore.open. The answer is kept in memory once known, so
 * the person is asked at most once per start.
 */
export function keyPassphraseSource(options: KeyPassphraseOptions): () => Promise<string> {
  let known: Promise<string> | null = null;
  return () => {
    known ??= obtain(options).catch((error: unknown) => {
      known = null; // a cancelled prompt may be tried again
      throw error;
    });
    return known;
  };
}

async function obtain({ dataDir, keyring, ask, env = {} }: KeyPassphraseOptions): Promise<string> {
  const recorded = await readMethod(dataDir);
  const fromEnv = env.CHORDLINE_PASSPHRASE ? env.CHORDLINE_PASSPHRASE : null;

  if (recorded === 'keyring') {
    if (!keyring.available()) {
      throw new KeyPassphraseError(
        "This phone's key is sealed with the computer's key ring, which is not available now. " +
          'Unlock the key ring (on Linux: GNOME Keyring or KWallet) and start Chordline again.',
      );
    }
    const sealed = await readFile(join(dataDir, SEALED_FILE)).catch(() => null);
    if (sealed === null) {
      throw new KeyPassphraseError(`The sealed passphrase ${join(dataDir, SEALED_FILE)} is missing.`);
    }
    try {
      return keyring.unseal(sealed);
    } catch {
      throw new KeyPassphraseError(
        "The key ring could not open this phone's sealed passphrase (was the data folder copied " +
          'from another computer or user? Import your certificate with its PKCS#12 file instead).',
      );
    }
  }

  if (recorded === 'passphrase') return fromEnv ?? askChecked(ask, { reason: 'unlock', dataDir });
  if (recorded === 'file') return passphraseFromFile(dataDir, env);

  // First use of this data folder by the desktop app.
  await mkdir(dataDir, { recursive: true });
  if (fromEnv === null && (await exists(phoneFolders(dataDir).passphrase))) {
    await writeMethod(dataDir, 'file');
    return passphraseFromFile(dataDir, env);
  }
  if (fromEnv === null && keyring.available()) {
    const secret = randomBytes(32).toString('base64url');
    await writeFileAtomic(join(dataDir, SEALED_FILE), keyring.seal(secret), 0o600);
    await writeMethod(dataDir, 'keyring');
    return secret;
  }
  const chosen = fromEnv ?? (await askChecked(ask, { reason: 'new', dataDir }));
  await writeMethod(dataDir, 'passphrase');
  return chosen;
}

async function askChecked(ask: AskPassphrase, request: PassphraseRequest): Promise<string> {
  const answer = await ask(request);
  if (answer === null) {
    throw new KeyPassphraseError('No passphrase was given: the phone cannot open its key without one.');
  }
  if (answer === '') throw new KeyPassphraseError('An empty passphrase is not allowed.');
  return answer;
}

async function readMethod(dataDir: string): Promise<Method | null> {
  let text: string;
  try {
    text = await readFile(join(dataDir, PROTECTION_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const method = (JSON.parse(text) as { method?: unknown }).method;
    if (method === 'keyring' || method === 'passphrase' || method === 'file') return method;
  } catch {
    // fall through: a torn or edited file must not silently pick a method
  }
  throw new KeyPassphraseError(
    `${join(dataDir, PROTECTION_FILE)} is unreadable: write {"method":"keyring"} or {"method":"passphrase"} into it.`,
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function writeMethod(dataDir: string, method: Method): Promise<void> {
  await writeFileAtomic(join(dataDir, PROTECTION_FILE), `${JSON.stringify({ method })}\n`);
}
