import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../keystore/index.ts';
import type { EchoStats } from './echo-stats.ts';

const FILE = 'echo.json';

/**
 * An echo peer's stats beside its state.json, for `chordline peer state` (same reason: an
 * operator looks at a running peer without a control port).
 */
export async function writeEchoState(dir: string, stats: EchoStats): Promise<void> {
  const state = { writtenAt: new Date().toISOString(), ...stats };
  await writeFileAtomic(join(dir, FILE), JSON.stringify(state, null, 2) + '\n', 0o600);
}

/** The stats a running echo peer last wrote, or undefined when this peer is not one. */
export async function readEchoState(dir: string): Promise<(EchoStats & { writtenAt: string }) | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, FILE), 'utf8')) as EchoStats & { writtenAt: string };
  } catch {
    return undefined;
  }
}

/** A peer that runs without --echo now must not show an earlier run's echo stats. */
export async function forgetEchoState(dir: string): Promise<void> {
  await rm(join(dir, FILE), { force: true });
}
