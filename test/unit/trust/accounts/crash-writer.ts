/**
 * A login server that dies mid-write, for account-store-crash.test.ts (run it as a child:
 * `node --import tsx crash-writer.ts <db> <committed-count>`).
 *
 * It commits one batch of `committed-count` accounts, prints "committed", then opens a second
 * batch that records certificates with large PEMs until it has written far more than SQLite's
 * page cache holds (so uncommitted pages really spill into the WAL file on disk), prints
 * "midway", and keeps writing until the parent kills it with SIGKILL.
 */
import { writeSync } from 'node:fs';
import { AccountStore } from '../../../../src-main/trust/accounts/account-store.ts';
import { certificateFor } from './certificate-fixture.ts';

const [path, committedText] = process.argv.slice(2);
const committed = Number(committedText);
// better-sqlite3 builds SQLite with a 16 MB page cache; 3 000 PEMs of 8 KB are half as much again.
const MIDWAY = 3_000;
const GIVE_UP = 10_000; // never reached when the parent does its job; bounds the disk we use (80 MB)

const store = AccountStore.open(path);
store.batch(() => {
  for (let i = 0; i < committed; i++) store.addUser(`early${i}`, 'example.com', `password-${i}`);
});
writeSync(1, 'committed\n');

store.batch(() => {
  store.addUser('doomed', 'example.com', 'never-committed');
  for (let i = 0; i < GIVE_UP; i++) {
    store.recordCertificate(certificateFor('sip:doomed@example.com', i, { pemBytes: 6_000 }));
    if (i === MIDWAY) writeSync(1, 'midway\n');
  }
});
writeSync(2, 'crash-writer was not killed in time\n');
process.exit(3);
