import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AccountStore } from '../../../../src-main/trust/accounts/account-store.ts';

const REPO = resolve(import.meta.dirname, '../../../..');
const WRITER = join(import.meta.dirname, 'crash-writer.ts');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chordline-crash-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('a login server killed in the middle of a write leaves a sound database holding all of the committed batch and none of the other', async () => {
  const path = join(dir, 'accounts.db');
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path, '500'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );

  // Wait for the writer to be deep inside its second transaction, then pull the plug.
  const reachedMidway = await new Promise<boolean>((done) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('midway\n')) done(true);
    });
    void exited.then(() => done(false));
  });
  expect(reachedMidway, `writer ended early:\n${stdout}\n${stderr}`).toBe(true);
  child.kill('SIGKILL');
  const { signal } = await exited;
  expect(signal).toBe('SIGKILL');
  expect(stdout).toContain('committed\n');

  // The uncommitted pages really reached the disk: the WAL holds megabytes beyond the commit.
  // (About 12 MB in practice; the committed batch alone is under 200 KB.)
  expect(statSync(`${path}-wal`).size).toBeGreaterThan(4 * 1024 * 1024);

  const store = AccountStore.open(path);
  try {
    expect(store.diagnostics().integrity).toBe('ok');
    const users = store.listUsers({ includeRemoved: true });
    expect(users.filter((u) => u.username.startsWith('early'))).toHaveLength(500);
    expect(users.find((u) => u.username === 'doomed')).toBeUndefined();
    expect(store.certificatesFor('sip:doomed@example.com')).toEqual([]);
    // And the database works as before: the name that died with the batch can be taken.
    expect(store.addUser('doomed', 'example.com', 'second-life').aor).toBe('sip:doomed@example.com');
  } finally {
    store.close();
  }
});
