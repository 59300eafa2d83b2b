import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src-main/keystore/index.ts';
import { temporaryFolder } from './openssl.ts';

describe('the key store replaces files so that a crash never leaves half a key', () => {
  it('replaces the old content with the new one and leaves no temporary file behind', async () => {
    const folder = temporaryFolder();
    const path = join(folder, 'certificate.pem');
    writeFileSync(path, 'old certificate');

    await writeFileAtomic(path, 'new certificate');

    expect(readFileSync(path, 'utf8')).toBe('new certificate');
    expect(readdirSync(folder)).toEqual(['certificate.pem']);
  });

  it.skipIf(process.platform === 'win32')(
    'gives the file the requested mode from its first byte on',
    async () => {
      const folder = temporaryFolder();
      const path = join(folder, 'private-key.json');

      await writeFileAtomic(path, '{"secret":true}', 0o600);

      expect(statSync(path).mode & 0o777).toBe(0o600);
    },
  );

  it('keeps the old file and cleans up when the replacement cannot be put in place', async () => {
    const folder = temporaryFolder();
    const blocked = join(folder, 'blocked');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'inside'), 'x'); // rename() cannot replace a non-empty folder

    await expect(writeFileAtomic(blocked, 'new content')).rejects.toThrow();

    expect(readdirSync(folder)).toEqual(['blocked']);
    expect(readFileSync(join(blocked, 'inside'), 'utf8')).toBe('x');
  });
});
