/**
 * Crash-safe file replacement: after a crash or power cut the file holds either its old content
 * or its new content, never a torn mix. A torn private key file would lose the user's identity
 * (and with it their NodeID) for good.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to a temporary file in the same folder (rename is only atomic within one file
 * system), flushes it to disk, renames it over `path`, then flushes the folder so the rename
 * itself survives a power cut.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temporary, 'wx', mode);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a directory (EISDIR/EPERM); NTFS journals the rename itself.
  } finally {
    await handle?.close();
  }
}
