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
 * Who among the contacts is online: an AOR is online while the identity overlay holds a live
 * binding for it (the device refreshes it every refresh period, and it lapses after three
 * missed refreshes), so the answer comes from asking the ring, on a timer and on demand.
 *
 * Each check also routes to SHA-1(AOR) (`overlay.route`) to record which node answers for the
 * AOR and in how many hops: the lookups the network screen lists.
 */
export class Presence {
  private readonly online = new Map<string, boolean>();
  private readonly recent: Lookup[] = [];
  private checking: Promise<void> | undefined;

  constructor(
    private readonly overlay: Overlay,
    private readonly changed: () => void,
  ) {}

  /** true / false from the last check; null when it was never checked or the ring could not say. */
  of(aor: string): boolean | null {
    return this.online.get(aor.toLowerCase()) ?? null;
  }

  get lookups(): readonly Lookup[] {
    return this.recent;
  }

  /** Checks these AORs one after the other; a check already running is waited for, not doubled. */
  async check(aors: readonly string[]): Promise<void> {
    while (this.checking) await this.checking;
    this.checking = this.run(aors).finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async run(aors: readonly string[]): Promise<void> {
    let changed = false;
    for (const aor of aors) {
      const before = this.of(aor);
      const after = await this.lookUp(aor);
      if (after !== before) {
        if (after === null) this.online.delete(aor.toLowerCase());
        else this.online.set(aor.toLowerCase(), after);
        changed = true;
      }
    }
    if (changed) this.changed();
  }

  private async lookUp(aor: string): Promise<boolean | null> {
    try {
      const route = await this.overlay.route(aorKey(aor));
      this.recent.unshift({ key: aorKey(aor), owner: route.owner.id, hops: route.hops, at: Date.now() });
      this.recent.splice(LOOKUPS_KEPT);
      const bindings = await this.overlay.get(aor);
      return bindings.some((binding) => binding.expiresAt > Date.now());
    } catch {
      // Not in the ring right now, or the nodes on the way were gone: not known, rather than offline.
      return null;
    }
  }

  /** Forgets an AOR (its contact was removed). */
  forget(aor: string): void {
    this.online.delete(aor.toLowerCase());
  }
}
