import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export class PhoneInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `Another phone (process ${pid}) is already running on ${dataDir}: use that one, or stop it first (a second phone on the same folder would sit twice in the ring under one NodeID)`,
    );
    this.name = 'PhoneInUseError';
  }
}

/**
 * One phone per data folder: two would share the key store, hence the NodeID, and sit twice in
 * the ring. DIR/phone.lock holds the running phone's process id; a lock whose process is gone
 * (a crash) is taken over.
 */
export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, 'phone.lock');
  if (heldHere.has(file)) throw new PhoneInUseError(dataDir, process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      heldHere.add(file);
      return async () => {
        heldHere.delete(file);
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new PhoneInUseError(dataDir, pid);
    }
    await rm(file, { force: true });
  }
  throw new Error(`Could not take the lock ${file}: remove it if no phone runs on ${dataDir}`);
}

/**
 * Locks this process holds. A lock file naming this process that is not in here was left by an
 * earlier process that had the same id (a container restarts its ids from 1): stale.
 */
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as { code?: string }).code === 'EPERM';
  }
}
