import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PassphraseRequest } from '../../../src-main/ipc/electron-channels.ts';
import { passphraseFromFile } from '../../../src-main/phone/passphrase-file.ts';
import {
  keyPassphraseSource,
  KeyPassphraseError,
  PROTECTION_FILE,
  SEALED_FILE,
  type Keyring,
} from '../../../src-main/shell/key-passphrase.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';

/**
 * A key ring that works as safeStorage does on a desktop: AES-GCM under a key only it holds
 * (one per "OS user"), so what it seals another key ring cannot open.
 */
function aesKeyring(): Keyring & { lock(): void } {
  const key = randomBytes(32);
  let open = true;
  return {
    available: () => open,
    lock: () => {
      open = false;
    },
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    unseal(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const noKeyring: Keyring = {
  available: () => false,
  seal: () => {
    throw new Error('no key ring');
  },
  unseal: () => {
    throw new Error('no key ring');
  },
};

/** The person at the passphrase window: answers from a list, and notes what they were asked. */
function person(...answers: Array<string | null>) {
  const asked: PassphraseRequest[] = [];
  return {
    asked,
    ask: async (request: PassphraseRequest) => {
      asked.push(request);
      return answers.shift() ?? null;
    },
  };
}

describe("the key store's passphrase on the desktop", () => {
  const dirs = tempDirs();
  afterAll(() => dirs.cleanup());

  it('with a key ring, is made at random, sealed on disk and never asked for', async () => {
    const dataDir = join(dirs.make('chordline-keyring-'), 'phone');
    const keyring = aesKeyring();
    const alice = person();
    const first = await keyPassphraseSource({ dataDir, keyring, ask: alice.ask })();
    expect(first).toMatch(/^[\w-]{43}$/);
    const sealed = await readFile(join(dataDir, SEALED_FILE));
    expect(sealed.includes(Buffer.from(first))).toBe(false);
    expect(JSON.parse(await readFile(join(dataDir, PROTECTION_FILE), 'utf8'))).toEqual({ method: 'keyring' });

    // The next start opens the same passphrase; the person was never asked.
    expect(await keyPassphraseSource({ dataDir, keyring, ask: alice.ask })()).toBe(first);
    expect(alice.asked).toEqual([]);
  });

  it('when the key ring is locked later, says so instead of asking for a passphrase nobody chose', async () => {
    const dataDir = dirs.make('chordline-keyring-');
    const keyring = aesKeyring();
    await keyPassphraseSource({ dataDir, keyring, ask: person().ask })();
    keyring.lock();
    const alice = person('guess');
    await expect(keyPassphraseSource({ dataDir, keyring, ask: alice.ask })()).rejects.toThrow(
      /key ring, which is not available now/,
    );
    expect(alice.asked).toEqual([]);
    // A folder copied to another user's key ring cannot be opened there, and the message says what to do.
    await expect(keyPassphraseSource({ dataDir, keyring: aesKeyring(), ask: alice.ask })()).rejects.toThrow(
      /PKCS#12/,
    );
  });

  it('without a key ring, the person chooses a passphrase once and types it at each start', async () => {
    const dataDir = dirs.make('chordline-nokeyring-');
    const alice = person('correct horse battery staple');
    const source = keyPassphraseSource({ dataDir, keyring: noKeyring, ask: alice.ask });
    expect(await source()).toBe('correct horse battery staple');
    expect(await source()).toBe('correct horse battery staple'); // asked once per start
    expect(alice.asked).toEqual([{ reason: 'new', dataDir }]);

    // A key ring that appears later does not replace the passphrase she chose.
    const later = person('correct horse battery staple');
    expect(await keyPassphraseSource({ dataDir, keyring: aesKeyring(), ask: later.ask })()).toBe(
      'correct horse battery staple',
    );
    expect(later.asked).toEqual([{ reason: 'unlock', dataDir }]);
  });

  it('a cancelled window is no passphrase, and may be asked again', async () => {
    const dataDir = dirs.make('chordline-cancel-');
    const alice = person(null, 'second thoughts');
    const source = keyPassphraseSource({ dataDir, keyring: noKeyring, ask: alice.ask });
    await expect(source()).rejects.toBeInstanceOf(KeyPassphraseError);
    expect(await source()).toBe('second thoughts');
  });

  it('CHORDLINE_PASSPHRASE answers instead of the person, as on the command line', async () => {
    const dataDir = dirs.make('chordline-env-');
    const alice = person();
    const env = { CHORDLINE_PASSPHRASE: 'from-the-environment' };
    expect(await keyPassphraseSource({ dataDir, keyring: aesKeyring(), ask: alice.ask, env })()).toBe(
      'from-the-environment',
    );
    expect(alice.asked).toEqual([]);
    expect(JSON.parse(await readFile(join(dataDir, PROTECTION_FILE), 'utf8'))).toEqual({
      method: 'passphrase',
    });
  });

  it("opens a folder browser mode made with browser mode's own passphrase file", async () => {
    const dataDir = dirs.make('chordline-browser-');
    const browserPassphrase = await passphraseFromFile(dataDir, {});
    expect(await keyPassphraseSource({ dataDir, keyring: aesKeyring(), ask: person().ask })()).toBe(
      browserPassphrase,
    );
    expect(await passphraseFromFile(dataDir, {})).toBe(browserPassphrase);
  });

  it('refuses to guess when key-protection.json was damaged', async () => {
    const dataDir = dirs.make('chordline-damaged-');
    await writeFile(join(dataDir, PROTECTION_FILE), '{"method":');
    await expect(
      keyPassphraseSource({ dataDir, keyring: aesKeyring(), ask: person('x').ask })(),
    ).rejects.toThrow(/unreadable/);
  });
});
