/**
 * The `schedule` a peer host gives its Chord nodes (OverlayComponents.schedule, which only the
 * refresh timer uses): real timers whose periods can be stretched while they run. The ring forms
 * and heals at the lab's short refresh period (7 s for 200 peers); for the maintenance window the
 * bench stretches every peer's refresh to the 60 s a real ring uses, and back afterwards. A timer
 * already armed keeps the share of its period it has run: half-way through 7 s, it fires half-way
 * through 60 s, so the peers' refreshes stay spread over the period as they were.
 */
export class StretchableTimers {
  #factor = 1;
  readonly #pending = new Set<Pending>();

  get factor(): number {
    return this.#factor;
  }

  schedule(ms: number, task: () => void): () => void {
    const now = performance.now();
    const entry: Pending = { ms, task, dueAt: now + ms * this.#factor, timer: undefined };
    this.#pending.add(entry);
    this.#arm(entry);
    return () => {
      clearTimeout(entry.timer);
      this.#pending.delete(entry);
    };
  }

  /** From now on every period lasts `factor` times as long; timers already armed are rescaled. */
  stretch(factor: number): void {
    if (!(factor > 0)) throw new RangeError(`stretch factor must be positive, got ${factor}`);
    const now = performance.now();
    for (const entry of this.#pending) {
      const left = Math.max(0, entry.dueAt - now) / (entry.ms * this.#factor || 1);
      entry.dueAt = now + left * entry.ms * factor;
      clearTimeout(entry.timer);
      this.#arm(entry);
    }
    this.#factor = factor;
  }

  #arm(entry: Pending): void {
    entry.timer = setTimeout(
      () => {
        this.#pending.delete(entry);
        entry.task();
      },
      Math.max(0, entry.dueAt - performance.now()),
    );
    entry.timer.unref();
  }
}

interface Pending {
  ms: number;
  task: () => void;
  dueAt: number;
  timer: NodeJS.Timeout | undefined;
}
