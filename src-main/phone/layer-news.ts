import type { NetworkView } from '../ipc/contract.ts';

/**
 * When the network screen hears `networkChanged`: at every step of a layer's switch (`follow`),
 * and when anything else may have changed (`check`: at every refresh, when the ring changed,
 * after a command), and then only if the view really changed.
 */
export class LayerNews {
  private last = '';
  private unfollow: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly view: () => NetworkView | undefined,
    private readonly emit: (view: NetworkView) => void,
  ) {}

  /**
   * Follows the steps of a switch from now on, through `subscribe` (which returns its
   * unsubscribe); one at a time: a new session replaces the old one's.
   */
  follow(subscribe: (onStep: () => void) => () => void): void {
    this.unfollow?.();
    this.unfollow = this.stopped ? undefined : subscribe(() => this.check());
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
    this.unfollow?.();
  }
}
