import { busyFraction, coreTicks } from './core-busy.ts';
import { isInterrupted } from './worker-host.ts';

/**
 * Waits until the machine has been nearly idle (all CPUs below `threshold` busy) for
 * `quietSeconds` in a row, or `maxWaitSeconds` have passed. A benchmark on a shared machine
 * measures whoever else is running; this keeps them out where possible and says when it could
 * not. Without /proc/stat (not Linux) it returns at once.
 */
export async function waitForQuiet(
  options: { threshold?: number; quietSeconds?: number; maxWaitSeconds?: number } = {},
): Promise<{ waitedSeconds: number; quiet: boolean; lastBusy: number | undefined }> {
  const threshold = options.threshold ?? 0.1;
  const quietSeconds = options.quietSeconds ?? 3;
  const maxWait = options.maxWaitSeconds ?? 120;
  const start = performance.now();
  let quietFor = 0;
  let lastBusy: number | undefined;
  while ((performance.now() - start) / 1000 < maxWait && !isInterrupted()) {
    const before = coreTicks('all');
    if (!before) return { waitedSeconds: 0, quiet: true, lastBusy: undefined };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    lastBusy = busyFraction(before, coreTicks('all'));
    quietFor = lastBusy !== undefined && lastBusy < threshold ? quietFor + 1 : 0;
    if (quietFor >= quietSeconds)
      return { waitedSeconds: (performance.now() - start) / 1000, quiet: true, lastBusy };
  }
  return { waitedSeconds: (performance.now() - start) / 1000, quiet: false, lastBusy };
}
