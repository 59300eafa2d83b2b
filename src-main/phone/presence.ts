import type { PresenceOverlay } from '../app/presence/index.ts';
import { aorKey } from '../overlay/overlay.ts';
import type { Overlay } from '../overlay/overlay.ts';

/** One lookup this phone made, for the network screen's "recent lookups". */
export interface Lookup {
  key: string;
  owner: string;
  hops: number;
  at: number;
}

const LOOKUPS_KEPT = 20;

/**
 * Who among the contacts is online, pushed by the presence feature layer (src-main/app/presence):
 * the phone watches each contact's AOR there, and the rendezvous node of that AOR tells it every
 * change (a device publishing, withdrawing, or vanishing without a word) without being asked.
 * Nothing here asks the identity overlay whether a contact is online, so a change in the identity
 * layer (another algorithm, a rejoin) leaves the contacts' dots alone.
 *
 * The identity overlay is still asked once when a contact is added, for the network screen's
 * "recent lookups": which node answers for the AOR's calls, and in how many hops.
 */
export class Presence {
  private readonly recent: Lookup[] = [];
  private readonly unsubscribe: (() => void) | undefined;

  constructor(
    private readonly identity: Overlay,
    /** Undefined when this phone could not join the presence layer: every contact is unknown. */
    private readonly layer: PresenceOverlay | undefined,
    changed: () => void,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.unsubscribe = layer?.watcher.onChange(() => changed());
  }

  /** true / false as the presence layer last said; null when it has not said (yet). */
  of(aor: string): boolean | null {
    const status = this.layer?.watcher.of(aor)?.status;
    return status === 'online' ? true : status === 'offline' ? false : null;
  }

  get lookups(): readonly Lookup[] {
    return this.recent;
  }

  /**
   * Watches exactly these AORs: new ones are subscribed at once, dropped ones unsubscribed. Costs
   * nothing for AORs already watched: the presence layer renews their subscriptions itself.
   */
  async watch(aors: readonly string[]): Promise<void> {
    const layer = this.layer;
    if (!layer) return;
    const wanted = new Set(aors.map((a) => a.toLowerCase()));
    const watching = layer.watcher.watching();
    await Promise.all([
      ...watching.filter((a) => !wanted.has(a.toLowerCase())).map((a) => layer.watcher.unwatch(a)),
      ...aors.map((a) => layer.watcher.watch(a)),
    ]).catch((error: unknown) => this.onError(error));
  }

  /** Routes to SHA-1(AOR) in the identity overlay once, for the network screen. */
  async lookUp(aor: string): Promise<void> {
    try {
      const route = await this.identity.route(aorKey(aor));
      this.recent.unshift({ key: aorKey(aor), owner: route.owner.id, hops: route.hops, at: Date.now() });
      this.recent.splice(LOOKUPS_KEPT);
    } catch {
      // Not in the ring right now: the screen simply shows no lookup for it.
    }
  }

  /** Forgets an AOR (its contact was removed). */
  forget(aor: string): void {
    void this.layer?.watcher.unwatch(aor).catch((error: unknown) => this.onError(error));
  }

  close(): void {
    this.unsubscribe?.();
  }
}
