import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Fresh folders under the system temp folder (on this machine a real disk: the login server's
 * SQLite commits pay their fsync), and one call that removes them all.
 */
export function tempFolders() {
  const made: string[] = [];
  // Whatever happens, a process leaves no folder behind (exit handlers may only work synchronously).
  process.once('exit', () => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    make(prefix: string): string {
      const dir = mkdtempSync(join(tmpdir(), `chordline-bench-${prefix}-`));
      made.push(dir);
      return dir;
    },
    removeAll(): void {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
