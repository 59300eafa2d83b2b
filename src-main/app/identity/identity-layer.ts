import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { aorKey } from '../../overlay/overlay.ts';
import type { Binding, NodeRef, Overlay, OverlayReply } from '../../overlay/overlay.ts';
import type { OverlayRegistry } from '../../overlay/overlay-registry.ts';
import type { SwitchLayer } from '../../overlay/xml/index.ts';
import type { PeerNode } from '../peer-node.ts';
import { checkAnnouncement } from './check-announcement.ts';
import { floodTargets } from './flood-targets.ts';
import { identityView } from './identity-view.ts';
import { SwitchPhase } from './switch-phase.ts';

const LAYER = 'identity';
/** Joins of the new overlay tried before giving up (the seed may not have created it yet). */
const JOIN_ATTEMPTS = 8;
/** Sends of one forward of a SwitchLayer before giving up on that peer (others forward to it too). */
const FLOOD_ATTEMPTS = 3;
/** Refresh periods between hearing of a switch and the new overlay's first refresh. */
const SETTLE_PERIODS = 2;

/** What happened to a switch on this peer, for the lab and the status page. */
export interface SwitchNews {
  epoch: number;
  from: string;
  to: string;
  outcome: 'done' | 'aborted';
  reason?: string;
}

/**
 * The identity layer of one peer: one active overlay, and during a switch the other one beside
 * it (docs/PROTOCOL.md section 10). Calls, lookups and this device's binding go through `view`,
 * which follows the active overlay and falls back to the other one on a miss, so a switch is
 * invisible above this class. The switch itself is drawn in switch-phase.ts.
 */
export class IdentityLayer {
  #active: Overlay;
  /** The overlay beside the active one during a switch: the incoming one, then the outgoing one. */
  #other: Overlay | undefined;
  #epoch = 0;
  readonly phase = new SwitchPhase();
  readonly view: Overlay;
  readonly switches: SwitchNews[] = [];
  onSwitch: ((news: SwitchNews) => void) | undefined;
  readonly #caKey: KeyObject;
  /** The last switch this peer acted on, for peers that missed its flood (tellLate). */
  #lastAnnouncement: SwitchLayer | undefined;
  #switching: { from: string; to: string } | undefined;
  readonly #toldLate = new Set<string>();

  private readonly refreshMs: number;

  constructor(
    private readonly node: PeerNode,
    private readonly registry: OverlayRegistry,
    active: Overlay,
    caKey: KeyObject,
    options: {
      /** The layer's refresh period (the overlay's, which a lab scales down from the login server's). */
      refreshMs?: number;
      /** The epoch of the switch that chose `active` (the login server names it; 0: never switched). */
      epoch?: number;
    } = {},
  ) {
    this.#active = active;
    this.#caKey = caKey;
    this.refreshMs = options.refreshMs ?? node.refreshRate * 1000;
    this.#epoch = options.epoch ?? 0;
    this.view = identityView(this);
    node.onLayerControl(LAYER, {
      receive: (from, message) => this.receive(from, message),
      stray: (from, algorithm) => this.tellLate(from, algorithm),
    });
  }

  get active(): Overlay {
    return this.#active;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** The switch under way on this peer, from the moment it accepted the announcement. */
  get switching(): { from: string; to: string } | undefined {
    return this.#switching;
  }

  /** The overlays to ask, in order: the active one, then the other if it has joined. */
  overlays(): Overlay[] {
    const other = this.#other;
    return other && other.state().joined ? [this.#active, other] : [this.#active];
  }

  /**
   * The overlays that take bindings: the active one, and after the move the old one too, for the
   * peers that still look there first. The incoming overlay gets none before the move: while its
   * membership settles, every binding put into it would be handed over and replicated again at
   * each change of owner (at 40 peers that churn alone saturated the machine).
   */
  carriers(): Overlay[] {
    return this.phase.name === 'moved' && this.#other ? [this.#active, this.#other] : [this.#active];
  }

  /**
   * A peer spoke to this one in an algorithm of the layer that this one no longer (or not yet)
   * runs. If that algorithm is the one the last switch here left, the peer missed the flood: it
   * is sent the announcement, once per switch, so that it catches up (within the announcement's
   * ten minutes; later, the login server tells it at its next login).
   */
  private tellLate(to: NodeRef, algorithm: string): void {
    const last = this.#lastAnnouncement;
    if (!last || this.phase.switching || algorithm === last.algorithm) return;
    const told = `${last.epoch} ${to.id}`;
    if (this.#toldLate.has(told)) return;
    this.#toldLate.add(told);
    void this.tellPeer({ layer: LAYER, algorithm }, to, last);
  }

  /** This device's binding, into every overlay that carries bindings (both, after a switch's move). */
  async refresh(): Promise<void> {
    await Promise.all(this.carriers().map((o) => o.put(this.ownBinding())));
  }

  /** An announcement from the operator's tool on this very peer (the lab, `chordline ls switch`). */
  announce(message: SwitchLayer): Promise<OverlayReply> {
    return this.receive(this.#active.self, message);
  }

  /**
   * A SwitchLayer that arrived (section 10.2): checked, answered at once, then acted on and
   * passed on. Refusals change nothing.
   */
  async receive(_from: NodeRef, message: SwitchLayer): Promise<OverlayReply> {
    const verdict = checkAnnouncement(message, {
      layer: LAYER,
      epoch: this.#epoch,
      algorithms: this.registry.algorithms(LAYER),
      switching: this.phase.switching
        ? { algorithm: this.#other?.algorithm ?? '?', epoch: this.#epoch }
        : undefined,
      caKey: this.#caKey,
      now: Date.now(),
    });
    if (!verdict.ok) return verdict;
    this.#epoch = message.epoch;
    this.#lastAnnouncement = message;
    this.#toldLate.clear();
    if (message.algorithm === this.#active.algorithm) {
      // Already there (a peer that joined after the switch): pass the news on, nothing to do.
      void this.flood(message);
      return { ok: true, message: { kind: 'Ack' } };
    }
    this.#switching = { from: this.#active.algorithm, to: message.algorithm };
    this.phase.on('accept');
    void this.run(message).catch((error: unknown) => this.node.reportError(error));
    return { ok: true, message: { kind: 'Ack' } };
  }

  /**
   * The switch on this peer, once accepted (switch-phase.ts). Every peer keeps the old overlay
   * until the same moment, RetireAfter from when it heard the news (within a flood's hops of
   * every other peer), so that nobody's fallback disappears while others still need it.
   */
  private async run(message: SwitchLayer): Promise<void> {
    const retireAt = Date.now() + message.retireAfterMs;
    const from = this.#active.algorithm;
    const old = this.#active;
    const refreshMs = this.refreshMs;
    const name = { layer: LAYER, algorithm: message.algorithm };
    // Not started yet: when adopting, its refresh would probe peers that have not heard the news.
    const incoming = await this.node.host(name, this.registry.factory(LAYER, message.algorithm), false);
    if (!(await this.start(incoming, message, old, refreshMs))) {
      await this.node.unhost(name);
      this.tell({
        epoch: message.epoch,
        from,
        to: message.algorithm,
        outcome: 'aborted',
        reason: `no peer running ${message.algorithm} answered, not even the seed ${message.seed.url}`,
      });
      this.phase.on('abort');
      return;
    }
    this.#other = incoming;
    this.phase.on('joined');
    // Let the news reach every peer (a flood takes a few hops) before the new overlay asks
    // anyone anything: a peer that has not started it yet answers 404, taken for a failed node.
    await sleep(SETTLE_PERIODS * refreshMs);
    await incoming.start();
    // Move halfway to the retirement, as every peer does, once the owners agree there; and a
    // refresh period before the retirement at the latest. Until then the new overlay carries no
    // bindings: its membership settles first.
    await sleep(retireAt - message.retireAfterMs / 2 - Date.now());
    const moveBy = retireAt - refreshMs;
    while (Date.now() < moveBy && !(await this.agree(old, incoming))) {
      await sleep(Math.min(refreshMs / 2, moveBy - Date.now()));
    }
    // The owners agree: what is copied now goes where the new overlay will look for it.
    await this.copy(old, incoming);
    this.#active = incoming;
    this.#other = old;
    this.phase.on('agree');
    await sleep(retireAt - Date.now());
    // Quietly: no Leave, no handover; every peer retires it now, the bindings are in the new one.
    this.#other = undefined;
    await this.node.unhost({ layer: LAYER, algorithm: old.algorithm });
    // The news first, so that whoever watches the phase sees the outcome with the steady state.
    this.tell({ epoch: message.epoch, from, to: message.algorithm, outcome: 'done' });
    this.phase.on('grace-over');
  }

  /**
   * Passes the news on, and brings the new overlay up: from the nodes the old one knows, when the
   * algorithm can (Overlay.adopt: the same NodeIDs, so the same ring, without N concurrent
   * joins), or else created by the seed and joined through it. False when it could not join.
   */
  private async start(
    incoming: Overlay,
    message: SwitchLayer,
    old: Overlay,
    refreshMs: number,
  ): Promise<boolean> {
    const isSeed = message.seed.id === old.self.id;
    if (incoming.adopt) {
      incoming.adopt(old.knownNodes?.() ?? floodTargets(old.state()));
      void this.flood(message, old);
      return true;
    }
    // Forward before joining, so that the wave is not held up by this peer's join; the seed
    // creates first, so that whoever hears from it can join through it.
    await incoming.start();
    if (isSeed) {
      await incoming.create();
      void this.flood(message, old);
      return true;
    }
    void this.flood(message, old);
    return this.joinNew(incoming, message, old, refreshMs);
  }

  /** Through peers of the old overlay's tables that already run the new one, or the seed. */
  private async joinNew(
    incoming: Overlay,
    message: SwitchLayer,
    old: Overlay,
    refreshMs: number,
  ): Promise<boolean> {
    // Every peer hears of the switch within a few hops of each other: spread the joins over a
    // refresh period, so that N peers do not join one new overlay in the same instant.
    await sleep(Math.random() * refreshMs);
    for (let attempt = 0; attempt < JOIN_ATTEMPTS; attempt++) {
      const candidates = [...floodTargets(old.state()), message.seed].filter((n) => n.id !== old.self.id);
      try {
        await incoming.join(candidates);
        return true;
      } catch {
        await sleep(refreshMs / 2);
      }
    }
    return false;
  }

  /** This device's binding and every binding this node stores, put into the new overlay. */
  private async copy(old: Overlay, incoming: Overlay): Promise<void> {
    const bindings = [this.ownBinding(), ...old.storedBindings()];
    await Promise.all(bindings.map((b) => incoming.put(b).catch(() => undefined)));
  }

  /** The new overlay looks complete from here when it names the same owners as the old one. */
  private async agree(old: Overlay, incoming: Overlay): Promise<boolean> {
    const keys = [aorKey(this.node.identity.aor), randomBytes(20).toString('hex')];
    try {
      for (const key of keys) {
        const [a, b] = await Promise.all([old.route(key), incoming.route(key)]);
        if (a.owner.id !== b.owner.id) return false;
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Forward once to a few nodes of the overlay the news came over (flood-targets.ts). */
  private async flood(message: SwitchLayer, over: Overlay = this.#active): Promise<void> {
    const name = { layer: LAYER, algorithm: over.algorithm };
    await Promise.all(floodTargets(over.state()).map((to) => this.tellPeer(name, to, message)));
  }

  /**
   * One forward, sent again while the peer neither takes it nor says it has it (409): a peer the
   * flood misses would stay on the old overlay after everyone else retired it.
   */
  private async tellPeer(name: { layer: string; algorithm: string }, to: NodeRef, message: SwitchLayer) {
    for (let attempt = 0; attempt < FLOOD_ATTEMPTS; attempt++) {
      const reply = await this.node.sendLayerMessage(name, to, message).catch(() => undefined);
      if (reply && (reply.ok || reply.status === 409)) return;
      await sleep(this.refreshMs / 4);
    }
  }

  private ownBinding(): Binding {
    const identity = this.node.identity;
    return {
      aor: identity.aor,
      contact: this.node.uri,
      nodeId: identity.nodeId,
      certificateFingerprint: identity.fingerprint,
      expiresAt: Date.now() + 3 * this.node.refreshRate * 1000,
    };
  }

  private tell(news: SwitchNews): void {
    this.#switching = undefined;
    this.switches.push(news);
    this.onSwitch?.(news);
  }

  /** Lookups: the active overlay, then the other one on a miss. */
  async get(aor: string): Promise<Binding[]> {
    let lastError: unknown;
    for (const overlay of this.overlays()) {
      try {
        const found = await overlay.get(aor);
        if (found.length > 0) return found;
      } catch (error) {
        lastError = error;
      }
    }
    if (lastError !== undefined && this.overlays().length === 1) throw lastError;
    return [];
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}
