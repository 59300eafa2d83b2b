import { join } from 'node:path';

/**
 * The layout of a phone's data folder. One folder holds everything, so that `--data DIR` is all
 * it takes to run two phones side by side, and copying the folder moves the phone.
 *
 * ```
 *   DIR/phone.sqlite      contacts, call history, settings, what the phone remembers (WAL)
 *   DIR/peer/             the PeerNode's folder: identity/ (key store), peer.json, state.json
 *   DIR/network/          the login server, when this phone created the network (CA, accounts)
 *   DIR/key-passphrase    browser mode only: the key store's passphrase (owner-only file)
 *   DIR/phone.lock        the running phone's process id: one phone per folder
 * ```
 */
export function phoneFolders(dataDir: string) {
  return {
    root: dataDir,
    database: join(dataDir, 'phone.sqlite'),
    peer: join(dataDir, 'peer'),
    network: join(dataDir, 'network'),
    passphrase: join(dataDir, 'key-passphrase'),
  };
}

export type PhoneFolders = ReturnType<typeof phoneFolders>;

/** A folder set aside instead of deleted (an old key is never thrown away): NAME.replaced-TIME. */
export function asidePath(path: string, why: string): string {
  return `${path}.${why}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
}
