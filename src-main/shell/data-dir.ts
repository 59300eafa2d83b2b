/**
 * Where this phone keeps its data (contacts, history, settings, key store): `--data DIR`, else
 * `CHORDLINE_DATA`, else a folder inside Electron's userData.
 *
 * A folder given explicitly also moves Electron's own state (window position, Chromium's caches,
 * the single-instance lock) beside it. The lock is per userData folder, so two phones with two
 * data folders run side by side, and a second launch on the same folder focuses the first.
 */
import { isAbsolute, join, resolve } from 'node:path';

export interface DataDirInput {
  /** process.argv: Electron's own path and switches come first and are skipped. */
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** app.getPath('userData') before any change. */
  userData: string;
}

export interface DataDirChoice {
  dataDir: string;
  /** Set when the data folder was given: the value for app.setPath('userData', …). */
  userData: string | null;
  source: 'flag' | 'env' | 'default';
}

/** The folder name inside userData when no folder is given. */
export const DEFAULT_DATA_FOLDER = 'phone';
/** Electron's state beside an explicitly given data folder. */
export const DESKTOP_STATE_FOLDER = 'desktop';

export class DataDirError extends Error {
  override name = 'DataDirError';
}

export function chooseDataDir(input: DataDirInput): DataDirChoice {
  const flag = dataFlag(input.argv);
  const given = flag ?? nonEmpty(input.env.CHORDLINE_DATA);
  if (given === undefined) {
    return { dataDir: join(input.userData, DEFAULT_DATA_FOLDER), userData: null, source: 'default' };
  }
  const dataDir = isAbsolute(given) ? given : resolve(input.cwd, given);
  return { dataDir, userData: join(dataDir, DESKTOP_STATE_FOLDER), source: flag ? 'flag' : 'env' };
}

function dataFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--data=')) return required(arg.slice('--data='.length));
    if (arg === '--data') return required(argv[i + 1]);
  }
  return undefined;
}

function required(value: string | undefined): string {
  if (value === undefined || value === '' || value.startsWith('--')) {
    throw new DataDirError('--data needs a folder: chordline --data DIR');
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
