import type { NetworkView } from '../ipc/contract.ts';

/**
 * How often the phone looks at where a switch stands. The identity layer announces the end of a
 * switch (onSwitch) but not its steps (joining, checking, moved), and a switch may reach this
 * phone from any peer, so a cheap signature of the layers is read this often and the view is
 * rebuilt only when it changed.
 */
export const LAYER_POLL_MS = 250;

/**
 * When the network screen hears `networkChanged`: when a layer's algorithm, epoch or switch phase
 * changes (`follow`), and when anything else may have (`check`: at every refresh, when the ring
 * changed, after a command), and then only if the view really changed.
 */
export class LayerNews {
  private last = '';
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly view: () => NetworkView | undefined,
    private readonly emit: (view: NetworkView) => void,
  ) {}

  /** Watches `signature` from now on (one at a time: a new session replaces the old one's). */
  follow(signature: () => string): void {
    clearInterval(this.timer);
    if (this.stopped) return;
    let seen = signature();
    this.timer = setInterval(() => {
      const now = signature();
      if (now === seen) return;
      seen = now;
      this.check();
    }, LAYER_POLL_MS);
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

  /** Safe twice. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}
