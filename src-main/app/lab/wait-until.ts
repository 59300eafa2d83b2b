import { LabInterruptedError } from './lab-errors.ts';

export interface WaitOptions {
  /** Gives up (false) after this long. */
  timeoutMs: number;
  /** Checks again at least this often, even when nothing announced a change. */
  pollMs: number;
  /** Checks again soon after this announces a change; returns its unsubscribe function. */
  onChange?: (wake: () => void) => () => void;
  /** At least this long between two checks, however often changes are announced (a check costs). */
  minGapMs?: number;
  signal?: AbortSignal;
}

/**
 * Waits until `check()` holds: true as soon as it does, false once `timeoutMs` has passed.
 * Driven by change announcements (a node's tables changed) with a slow poll underneath, so that a
 * lab neither sleeps longer than it must nor spins. LabInterruptedError when `signal` aborts.
 */
export async function waitUntil(check: () => boolean, options: WaitOptions): Promise<boolean> {
  const deadline = performance.now() + options.timeoutMs;
  const minGap = options.minGapMs ?? 0;
  for (;;) {
    if (options.signal?.aborted) throw new LabInterruptedError();
    const checkedAt = performance.now();
    if (check()) return true;
    if (performance.now() >= deadline) return false;
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        unsubscribe?.();
        options.signal?.removeEventListener('abort', done);
        resolve();
      };
      const wakeAt = (at: number) => {
        clearTimeout(timer);
        timer = setTimeout(done, Math.max(0, Math.min(at, deadline) - performance.now()));
      };
      wakeAt(checkedAt + options.pollMs);
      // A change announced: check again once the gap since the last check has passed.
      const unsubscribe = options.onChange?.(() => wakeAt(checkedAt + minGap));
      options.signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * `promise`, or what `onTimeout()` returns (or throws) once `ms` have passed. The timer never
 * outlives the race.
 */
export async function within<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sleeps `ms` (LabInterruptedError at once when `signal` aborts). */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await waitUntil(() => false, { timeoutMs: ms, pollMs: ms, signal });
  if (signal?.aborted) throw new LabInterruptedError();
}
