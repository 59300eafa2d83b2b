import type { RingView } from '../ipc/contract.ts';

/** A join changes fingers many times within a second; the UI hears of it at most this often. */
export const RING_EVENT_GAP_MS = 200;

/**
 * When the network screen hears `ringChanged`: when the overlay announces new neighbours
 * (`announce`, spaced out) and at every refresh (`check`: known peers, lookups and stored
 * bindings change without an announcement), and then only if the view really changed.
 */
export class RingNews {
  private timer: NodeJS.Timeout | undefined;
  private last = '';
  private stopped = false;

  constructor(
    private readonly view: () => RingView | undefined,
    private readonly emit: (view: RingView) => void,
  ) {}

  announce(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.check();
    }, RING_EVENT_GAP_MS);
    this.timer.unref();
  }

  check(): void {
    const view = this.stopped ? undefined : this.view();
    if (!view) return;
    const text = JSON.stringify(view);
    if (text === this.last) return;
    this.last = text;
    this.emit(view);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
