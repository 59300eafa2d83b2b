import { expect } from 'vitest';
import { PhoneCore } from '../../../src-main/phone/phone-core.ts';

/** A phone core in browser mode on its own data folder, as `chordline start --web` opens it. */
export function openPhone(
  dataDir: string,
  extra: Partial<Parameters<typeof PhoneCore.open>[0]> = {},
): Promise<PhoneCore> {
  return PhoneCore.open({
    dataDir,
    mode: 'browser',
    keyPassphrase: async () => 'a passphrase',
    loginServerPort: 0,
    onError: () => undefined,
    ...extra,
  });
}

export interface TwoPhones {
  alice: PhoneCore;
  bob: PhoneCore;
  /** Where Bob logged in, and the CA he was told to trust. */
  loginServer: string;
  caFingerprint: string;
}

/**
 * The two-phone network most phone stories start from: Alice's phone creates the network for
 * `domain` (it runs the login server and the first node) with a 2 s refresh, adds Bob, and Bob's
 * phone joins it. `aliceDir` and `bobDir` are the two data folders.
 */
export async function twoPhones(
  aliceDir: string,
  bobDir: string,
  options: { domain?: string } = {},
): Promise<TwoPhones> {
  const [alicePassword, bobPassword] = ['alice-pw', 'bob-pw'];
  const alice = await openPhone(aliceDir);
  await alice.invoke('saveSettings', { refreshSeconds: 2 });
  const created = await alice.invoke('createNetwork', {
    domain: options.domain ?? 'example.com',
    user: 'alice',
    password: alicePassword,
  });
  expect(created.phase).toBe('ready');
  await alice.invoke('addUser', { user: 'bob', password: bobPassword });
  const bob = await openPhone(bobDir);
  await bob.invoke('saveSettings', { refreshSeconds: 2 });
  const { loginServer, caFingerprint } = created.network!;
  const joined = await bob.invoke('joinNetwork', {
    loginServer,
    user: 'bob',
    password: bobPassword,
    caFingerprint,
  });
  expect(joined.phase).toBe('ready');
  return { alice, bob, loginServer, caFingerprint };
}
