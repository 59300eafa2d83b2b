import type { RingView } from '../ipc/contract.ts';
import { ChangedViews } from './changed-views.ts';

/** A join changes fingers many times within a second; the UI hears of it at most this often. */
export const RING_EVENT_GAP_MS = 200;

/**
 * When the network screen hears `ringChanged`: when the overlay announces new neighbours
 * (`announce`, spaced out) and at every refresh (`check`: known peers, lookups and stored
 * bindings change without an announcement), and then only if the view really changed.
 */
export class RingNews extends ChangedViews<RingView> {
  private timer: NodeJS.Timeout | undefined;

  announce(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.check();
    }, RING_EVENT_GAP_MS);
    this.timer.unref();
  }

  /** Safe twice. */
  override stop(): void {
    super.stop();
    clearTimeout(this.timer);
  }
}
