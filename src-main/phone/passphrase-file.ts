import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../keystore/index.ts';
import { phoneFolders } from './phone-folders.ts';

/**
 * The key store's passphrase for a phone that has no OS keychain to keep it in (browser mode,
 * a server): CHORDLINE_PASSPHRASE if set, else a random one kept in DIR/key-passphrase, readable
 * by the owner only. That protects the key as well as the folder's permissions do, no more; the
 * Electron shell wraps its passphrase with safeStorage instead.
 */
export async function passphraseFromFile(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (env.CHORDLINE_PASSPHRASE) return env.CHORDLINE_PASSPHRASE;
  const file = phoneFolders(dataDir).passphrase;
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept) return kept;
  } catch {
    // not made yet
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const passphrase = randomBytes(24).toString('base64url');
  await writeFileAtomic(file, passphrase + '\n', 0o600);
  return passphrase;
}
