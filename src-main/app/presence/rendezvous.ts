import type { Id, NodeRef, OverlayMessage, OverlayReply } from '../../overlay/overlay.ts';
import type {
  PresenceNotify,
  PresenceStatus,
  PublishPresence,
  SubscribePresence,
} from '../../overlay/xml/index.ts';
import type { PresenceCarrier } from './presence-carrier.ts';
import { normalAor, presenceKey } from './presence-key.ts';
import type { ResolvedPresenceSettings } from './presence-settings.ts';

interface Publication {
  status: 'online' | 'offline';
  note?: string;
  publishedAt: number;
  expiresAt: number;
}

interface Subscriber {
  node: NodeRef;
  expiresAt: number;
}

/** What a rendezvous node holds for one AOR. */
interface Entry {
  aor: string;
  /** By the publishing device's NodeID: a user may be online on several devices. */
  publications: Map<string, Publication>;
  /** By the watcher's NodeID. */
  subscribers: Map<string, Subscriber>;
  /** When this node first heard of the AOR (see `statusOf`). */
  knownSince: number;
  /** Some device published here (and may since have withdrawn or expired). */
  heardFrom: boolean;
  /** What the subscribers were last told. */
  told: { status: PresenceStatus; note?: string };
  touchedAt: number;
}

/**
 * The node responsible for SHA-1("presence:" + AOR) in the presence overlay: it keeps what the
 * AOR's devices publish and pushes every change to the AOR's subscribers. Soft state only, no
 * replicas: when the key moves to another node (a join, a leave, a crash), publishers and
 * watchers find the new node at their next refresh and it learns everything again within one
 * refresh period.
 *
 * An AOR's status, as this node tells it:
 * ```
 *                 first heard of (Subscribe)
 *                        │
 *                        ▼
 *                  ┌───────────┐  1¼ refresh periods, no Publish
 *                  │  unknown  │ ─────────────────────────────────┐
 *                  └───────────┘                                  │
 *        Publish online │                                         ▼
 *                       ▼             Publish offline,      ┌───────────┐
 *                  ┌───────────┐  Expires 0, or expiry of  │  offline  │
 *                  │  online   │ ────────────────────────▶ │           │
 *                  └───────────┘ ◀──────────────────────── └───────────┘
 *                              Publish online (any device)
 * ```
 * `unknown` exists for the node that has just taken the key over: it cannot tell "nobody
 * published" from "nobody published here yet", so it says nothing until every live device has had
 * a refresh period to publish, and a watcher never lets `unknown` override what it knew.
 */
export class PresenceRendezvous {
  private readonly entries = new Map<string, Entry>();
  /** Grows with every notification this node sends, across entries and restarts (it starts at now). */
  private sequence = 0;

  constructor(
    private readonly carrier: PresenceCarrier,
    private readonly settings: ResolvedPresenceSettings,
    /** The AOR in the verified certificate of a sender, by NodeID. */
    private readonly senderAor: (nodeId: string) => string | undefined,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A device's PublishPresence: only a device whose certificate carries the AOR may publish for it. */
  publish(from: NodeRef, message: PublishPresence): OverlayReply {
    const certified = this.senderAor(from.id);
    if (certified === undefined || normalAor(certified) !== normalAor(message.aor)) {
      return {
        ok: false,
        status: 403,
        reason: 'Forbidden: a device may only publish presence for its own AOR',
      };
    }
    const now = this.carrier.now();
    const entry = this.entry(message.aor, now);
    entry.heardFrom = true;
    if (message.expires === 0) entry.publications.delete(from.id);
    else {
      entry.publications.set(from.id, {
        status: message.status,
        ...(message.note === undefined ? {} : { note: message.note }),
        publishedAt: now,
        expiresAt: now + message.expires * 1000,
      });
    }
    this.changed(entry);
    return { ok: true, message: { kind: 'Ack' } };
  }

  /** A watcher's SubscribePresence: answered with the AOR's status now. */
  subscribe(from: NodeRef, message: SubscribePresence): OverlayReply {
    const now = this.carrier.now();
    const entry = this.entry(message.aor, now);
    if (message.expires === 0) entry.subscribers.delete(from.id);
    else entry.subscribers.set(from.id, { node: from, expiresAt: now + message.expires * 1000 });
    const { status, note } = this.statusOf(entry, now);
    const notification = this.notification(entry.aor, status, note);
    return { ok: true, message: notification as unknown as OverlayMessage };
  }

  /** Drops what expired and tells the subscribers of every AOR whose status changed by it. */
  sweep(): void {
    const now = this.carrier.now();
    const lifetime = this.settings.refreshMs * this.settings.lifetimePeriods;
    for (const [key, entry] of this.entries) {
      for (const [id, p] of entry.publications) if (p.expiresAt <= now) entry.publications.delete(id);
      for (const [id, s] of entry.subscribers) if (s.expiresAt <= now) entry.subscribers.delete(id);
      this.changed(entry);
      if (entry.publications.size === 0 && entry.subscribers.size === 0 && now - entry.touchedAt > lifetime) {
        this.entries.delete(key);
      }
    }
  }

  /**
   * After the ring changed: every AOR whose key `responsible` says is another node's now (a node
   * joined just before this one and took it over) is forgotten here, and its subscribers are told
   * `unknown` (a watcher takes that from its rendezvous node as "subscribe again now", and is sent
   * on to the new node). Forgotten, so that this node does not keep pushing about an AOR whose
   * devices publish elsewhere now, and so that it starts from `unknown` again should the key come
   * back, rather than from a stale "offline" (a device published here once).
   */
  async dropMoved(responsible: (key: Id) => Promise<NodeRef | undefined>): Promise<void> {
    for (const [name, entry] of [...this.entries]) {
      const next = await responsible(presenceKey(entry.aor));
      if (!next || this.entries.get(name) !== entry) continue;
      this.entries.delete(name);
      const moved = this.notification(entry.aor, 'unknown', undefined);
      for (const subscriber of entry.subscribers.values()) {
        this.carrier.send(subscriber.node, moved).catch((error: unknown) => this.onError(error));
      }
    }
  }

  /** For the node's state: how many AORs, publications and subscriptions this node holds. */
  counts(): { aors: number; publications: number; subscriptions: number } {
    let publications = 0;
    let subscriptions = 0;
    for (const e of this.entries.values()) {
      publications += e.publications.size;
      subscriptions += e.subscribers.size;
    }
    return { aors: this.entries.size, publications, subscriptions };
  }

  private entry(aor: string, now: number): Entry {
    const key = normalAor(aor);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        aor,
        publications: new Map(),
        subscribers: new Map(),
        knownSince: now,
        heardFrom: false,
        told: { status: 'unknown' },
        touchedAt: now,
      };
      this.entries.set(key, entry);
    }
    entry.touchedAt = now;
    return entry;
  }

  private statusOf(entry: Entry, now: number): { status: PresenceStatus; note?: string } {
    let newest: Publication | undefined;
    let any = false;
    for (const p of entry.publications.values()) {
      if (p.expiresAt <= now) continue;
      any = true;
      if (p.status === 'online' && (!newest || p.publishedAt > newest.publishedAt)) newest = p;
    }
    if (newest) return { status: 'online', ...(newest.note === undefined ? {} : { note: newest.note }) };
    if (any || entry.heardFrom) return { status: 'offline' };
    // Every live device re-publishes within a refresh period; a quarter more covers the sweep.
    const settled = now - entry.knownSince >= this.settings.refreshMs * 1.25;
    return { status: settled ? 'offline' : 'unknown' };
  }

  /** Pushes the AOR's status to every subscriber when it differs from what they were told. */
  private changed(entry: Entry): void {
    const now = this.carrier.now();
    const { status, note } = this.statusOf(entry, now);
    if (status === entry.told.status && note === entry.told.note) return;
    entry.told = { status, ...(note === undefined ? {} : { note }) };
    const notification = this.notification(entry.aor, status, note);
    for (const [id, subscriber] of entry.subscribers) {
      this.carrier.send(subscriber.node, notification).catch((error: unknown) => {
        // A subscriber that does not answer is gone; one that refuses (it has not yet seen our
        // answer to its SubscribePresence, say) is kept. Either way it re-subscribes at its
        // next refresh and gets the status in the answer.
        if (!(error instanceof Error && error.name === 'PresenceRefusedError')) entry.subscribers.delete(id);
        this.onError(error);
      });
    }
  }

  private notification(aor: string, status: PresenceStatus, note: string | undefined): PresenceNotify {
    this.sequence = Math.max(this.sequence + 1, this.carrier.now());
    return {
      kind: 'PresenceNotify',
      aor,
      status,
      ...(note === undefined ? {} : { note }),
      sequence: this.sequence,
    };
  }
}
