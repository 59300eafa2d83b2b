import type { NodeRef, OverlayReply } from '../../overlay/overlay.ts';
import type { PresenceNotify, PresenceStatus } from '../../overlay/xml/index.ts';
import { UnexpectedPresenceReplyError } from './presence-errors.ts';
import type { PresenceCarrier } from './presence-carrier.ts';
import { normalAor, presenceKey } from './presence-key.ts';
import type { ResolvedPresenceSettings } from './presence-settings.ts';
import { RendezvousCache } from './rendezvous-cache.ts';

/** What a watcher knows of one AOR. `status` is undefined until some rendezvous node said. */
export interface WatchedPresence {
  aor: string;
  status: PresenceStatus | undefined;
  note?: string;
}

interface Watch extends WatchedPresence {
  /** The node this watcher last subscribed at: the only one whose PresenceNotify it takes. */
  rendezvous?: NodeRef;
  /** A node subscribed at whose answer has not come back yet (its push may overtake it). */
  pending?: NodeRef;
  sequence: number;
}

/**
 * The watching side: subscribes at the rendezvous node of every AOR it watches, again every
 * refresh period (the subscription lives `lifetimePeriods` periods), and takes the pushed
 * PresenceNotify of that node only. The renewal goes straight to the node subscribed at
 * (rendezvous-cache.ts); a lookup only when it stops answering or redirects.
 *
 * One watched AOR:
 * ```
 *   watch() ──▶ SubscribePresence ──▶ answer: PresenceNotify (status now) ──▶ subscribed
 *                  ▲                                                           │  │
 *                  └──────────────── every refresh period ─────────────────────┘  │
 *                                                  PresenceNotify pushed ◀────────┘
 *                                                  (from the rendezvous, newer sequence)
 * ```
 * `unknown` never overrides a status this watcher knew: it comes from a node that has just taken
 * the AOR's key over and has not heard from the AOR's devices yet, or, pushed, from the node
 * subscribed at, which has just lost the key (then this watcher subscribes again at once).
 */
export class PresenceWatcher {
  private readonly watches = new Map<string, Watch>();
  private readonly listeners = new Set<(presence: WatchedPresence) => void>();
  private readonly rendezvous: RendezvousCache;

  constructor(
    private readonly carrier: PresenceCarrier,
    private readonly settings: ResolvedPresenceSettings,
    private readonly onError: (error: unknown) => void,
  ) {
    this.rendezvous = new RendezvousCache(carrier, settings);
  }

  /** Called with every change of a watched AOR's status or note; returns its unsubscribe function. */
  onChange(listener: (presence: WatchedPresence) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What this watcher knows of `aor` (undefined when it does not watch it). */
  of(aor: string): WatchedPresence | undefined {
    const watch = this.watches.get(normalAor(aor));
    return watch && view(watch);
  }

  watching(): string[] {
    return [...this.watches.values()].map((w) => w.aor);
  }

  /** Starts watching `aor` (subscribing at once); watching it already costs nothing. */
  async watch(aor: string): Promise<void> {
    if (this.watches.has(normalAor(aor))) return;
    const watch: Watch = { aor, status: undefined, sequence: 0 };
    this.watches.set(normalAor(aor), watch);
    await this.subscribe(watch);
  }

  /** Stops watching; tells the rendezvous node (Expires 0), best effort. */
  async unwatch(aor: string): Promise<void> {
    const watch = this.watches.get(normalAor(aor));
    if (!watch) return;
    this.watches.delete(normalAor(aor));
    this.rendezvous.forget(presenceKey(aor));
    if (watch.rendezvous) {
      await this.carrier
        .send(watch.rendezvous, { kind: 'SubscribePresence', aor: watch.aor, expires: 0 })
        .catch(() => undefined);
    }
  }

  /** Every refresh period: subscribes again at the node that is now responsible for each AOR. */
  async refresh(): Promise<void> {
    await Promise.all([...this.watches.values()].map((watch) => this.subscribe(watch)));
  }

  /** A PresenceNotify pushed by a rendezvous node. */
  receive(from: NodeRef, message: PresenceNotify): OverlayReply {
    const watch = this.watches.get(normalAor(message.aor));
    if (!watch)
      return { ok: false, status: 481, reason: 'Subscription Does Not Exist: not watching that AOR' };
    const expected = [watch.rendezvous?.id, watch.pending?.id];
    if (!expected.includes(from.id)) {
      return { ok: false, status: 403, reason: 'Forbidden: not the rendezvous node this peer subscribed at' };
    }
    if (from.id !== watch.rendezvous?.id) {
      watch.rendezvous = from;
      watch.sequence = 0;
    }
    const fresh = message.sequence > watch.sequence;
    this.apply(watch, message);
    // Pushed, `unknown` means the key has left that node (rendezvous.ts, dropMoved): subscribe
    // again now, and be sent on to the node that has it, rather than wait for the next period.
    if (fresh && message.status === 'unknown' && !watch.pending) void this.subscribe(watch);
    return { ok: true, message: { kind: 'Ack' } };
  }

  private async subscribe(watch: Watch): Promise<void> {
    try {
      const expires = Math.floor((this.settings.refreshMs * this.settings.lifetimePeriods) / 1000);
      const { node: owner, answer } = await this.rendezvous.request(
        presenceKey(watch.aor),
        { kind: 'SubscribePresence', aor: watch.aor, expires },
        (node) => (watch.pending = node),
      );
      if (answer.kind !== 'PresenceNotify')
        throw new UnexpectedPresenceReplyError('PresenceNotify', answer.kind);
      if (this.watches.get(normalAor(watch.aor)) !== watch) return;
      if (owner.id !== watch.rendezvous?.id) {
        watch.rendezvous = owner;
        watch.sequence = 0;
      }
      this.apply(watch, answer as unknown as PresenceNotify);
    } catch (error) {
      // The last known status stands: the next refresh tries again, perhaps at another node.
      this.onError(error);
    } finally {
      watch.pending = undefined;
    }
  }

  private apply(watch: Watch, message: PresenceNotify): void {
    if (message.sequence <= watch.sequence) return;
    watch.sequence = message.sequence;
    if (message.status === 'unknown') return;
    if (message.status === watch.status && message.note === watch.note) return;
    watch.status = message.status;
    if (message.note === undefined) delete watch.note;
    else watch.note = message.note;
    const news = view(watch);
    for (const listener of this.listeners) {
      try {
        listener(news);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

function view(watch: Watch): WatchedPresence {
  return { aor: watch.aor, status: watch.status, ...(watch.note === undefined ? {} : { note: watch.note }) };
}
