/**
 * The real OpenSSL binary, as the outside world's judge of what keystore/ writes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const OPENSSL = '/usr/bin/openssl';

export interface OpensslResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout then stderr: `openssl pkcs12 -info` writes its report to stderr. */
  output: string;
}

/** Runs `openssl ...args`; never throws on a non-zero exit, so tests can assert failures. */
export function openssl(args: string[]): OpensslResult {
  const result = spawnSync(OPENSSL, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: result.stdout + result.stderr,
  };
}

/** Runs `openssl ...args` and returns stdout, failing the test with OpenSSL's stderr otherwise. */
export function opensslOk(args: string[]): string {
  return opensslReport(args).stdout;
}

/** Like `opensslOk`, but returns the whole result (for commands that report on stderr). */
export function opensslReport(args: string[]): OpensslResult {
  const result = openssl(args);
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${result.stderr}`);
  return result;
}

/** A fresh temporary folder, removed after the test file has run. */
export function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'chordline-keystore-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** Writes `content` into `folder/name` and returns the path, for handing files to openssl. */
export function fileIn(folder: string, name: string, content: string | Uint8Array): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}
