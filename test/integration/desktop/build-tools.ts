import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO = join(import.meta.dirname, '..', '..', '..');

/**
 * `electron-vite build` into `outDir` (not the repository's out/, which browser mode serves
 * while other tests run): out/main, out/preload, out/renderer, as `npm run build` makes them.
 */
export async function buildDesktop(outDir: string): Promise<void> {
  await run(
    process.execPath,
    [
      join(REPO, 'node_modules/electron-vite/bin/electron-vite.js'),
      'build',
      '--outDir',
      outDir,
      '--logLevel',
      'warn',
    ],
    { cwd: REPO, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
  );
}

/** Runs a Node script of the repository's tools (tsc…); resolves with its output, rejects with it on failure. */
export async function runTool(script: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO, script), ...args], {
      cwd: REPO,
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${script} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`);
  }
}
