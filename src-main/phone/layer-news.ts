import type { NetworkView } from '../ipc/contract.ts';
import { ChangedViews } from './changed-views.ts';

/**
 * When the network screen hears `networkChanged`: at every step of a layer's switch (`follow`),
 * and when anything else may have changed (`check`: at every refresh, when the ring changed,
 * after a command), and then only if the view really changed.
 */
export class LayerNews extends ChangedViews<NetworkView> {
  private unfollow: (() => void) | undefined;

  /**
   * Follows the steps of a switch from now on, through `subscribe` (which returns its
   * unsubscribe); one at a time: a new session replaces the old one's.
   */
  follow(subscribe: (onStep: () => void) => () => void): void {
    this.unfollow?.();
    this.unfollow = this.stopped ? undefined : subscribe(() => this.check());
  }

  /** Safe twice. */
  override stop(): void {
    super.stop();
    this.unfollow?.();
  }
}
