import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PeerSettings } from '../app/peer-node.ts';
import type { IdentityView } from '../ipc/contract.ts';
import { PHONE_ERROR_CODES as CODES, PhoneCommandError } from '../ipc/phone-error.ts';
import {
  describeCertificate,
  fingerprintOf,
  KeyStore,
  WrongPassphraseError,
  writeFileAtomic,
} from '../keystore/index.ts';
import { identityView } from './identity-files.ts';
import type { PhoneFolders } from './phone-folders.ts';
import { asidePath } from './phone-folders.ts';

/**
 * Moves an identity exported on another computer (PKCS#12) into DIR/peer. The file is read and
 * checked in a side folder first, so a wrong password or a broken file changes nothing; the key
 * store it replaces is set aside, never deleted (a key is not something to lose by a click).
 *
 * `sameNetwork`: the identity's CA is the one of the network this folder was in, so the phone
 * can go back into that network with it at once (peer.json is rewritten for it). Otherwise the
 * person joins its network (login server, password) and the key is kept.
 */
export async function importIdentity(
  folders: PhoneFolders,
  p12: Buffer,
  password: string,
  passphrase: string,
): Promise<{ identity: IdentityView; sameNetwork: boolean }> {
  const staging = asidePath(folders.peer, 'importing');
  let imported: KeyStore;
  try {
    imported = await KeyStore.importPkcs12(staging, p12, password, passphrase);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (error instanceof WrongPassphraseError) {
      throw new PhoneCommandError(CODES.wrongPassword, 'The password does not open this PKCS#12 file');
    }
    throw new PhoneCommandError(CODES.badFile, (error as Error).message);
  }
  const { certPem, caCertPem, aor } = imported.identity();
  const before = await peerSettings(folders);
  if (existsSync(folders.peer)) await rename(folders.peer, asidePath(folders.peer, 'replaced'));
  await rename(staging, folders.peer);
  const identity = identityView(describeCertificate(certPem!));
  const caFingerprint = caCertPem ? fingerprintOf(caCertPem) : undefined;
  const sameNetwork = Boolean(before?.caFingerprint && before.caFingerprint === caFingerprint && aor);
  if (sameNetwork) {
    const kept: PeerSettings = { loginServer: before!.loginServer, aor: aor!, caFingerprint };
    await writeFileAtomic(join(folders.peer, 'peer.json'), JSON.stringify(kept, null, 2) + '\n', 0o600);
  }
  return { identity, sameNetwork };
}

/**
 * Before creating a network: a new CA cannot certify a key another CA already certified (the
 * login client refuses a changed CA), so a certified key store is set aside. True if it was.
 */
export async function setAsideCertifiedIdentity(folders: PhoneFolders): Promise<boolean> {
  if (!existsSync(join(folders.peer, 'peer.json'))) return false;
  await rename(folders.peer, asidePath(folders.peer, 'replaced'));
  return true;
}

async function peerSettings(folders: PhoneFolders): Promise<PeerSettings | undefined> {
  try {
    return JSON.parse(await readFile(join(folders.peer, 'peer.json'), 'utf8')) as PeerSettings;
  } catch {
    return undefined;
  }
}
