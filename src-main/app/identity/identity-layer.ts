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
/** Agreement checks before moving anyway (the old ring may be degrading as others leave it). */
const AGREEMENT_CHECKS = 20;

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

  constructor(
    private readonly node: PeerNode,
    private readonly registry: OverlayRegistry,
    active: Overlay,
    caKey: KeyObject,
    /** The layer's refresh period (the overlay's, which a lab scales down from the login server's). */
    private readonly refreshMs: number = node.refreshRate * 1000,
  ) {
    this.#active = active;
    this.#caKey = caKey;
    this.view = identityView(this);
    node.onLayerControl(LAYER, (from, message) => this.receive(from, message));
  }

  get active(): Overlay {
    return this.#active;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** The overlays to ask, in order: the active one, then the other if it has joined. */
  overlays(): Overlay[] {
    const other = this.#other;
    return other && other.state().joined ? [this.#active, other] : [this.#active];
  }

  /** This device's binding, into every overlay of the layer that has joined (both, during a switch). */
  async refresh(): Promise<void> {
    await Promise.all(this.overlays().map((o) => o.put(this.ownBinding())));
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
    if (message.algorithm === this.#active.algorithm) {
      // Already there (a peer that joined after the switch): pass the news on, nothing to do.
      void this.flood(message);
      return { ok: true, message: { kind: 'Ack' } };
    }
    this.phase.on('accept');
    void this.run(message).catch((error: unknown) => this.node.reportError(error));
    return { ok: true, message: { kind: 'Ack' } };
  }

  /** The switch on this peer, once accepted (switch-phase.ts). */
  private async run(message: SwitchLayer): Promise<void> {
    const from = this.#active.algorithm;
    const old = this.#active;
    const refreshMs = this.refreshMs;
    const name = { layer: LAYER, algorithm: message.algorithm };
    const incoming = await this.node.host(name, this.registry.factory(LAYER, message.algorithm));
    const isSeed = message.seed.id === old.self.id;
    // Forward before joining, so that the wave is not held up by this peer's join; the seed
    // creates first, so that whoever hears from it can join through it.
    if (isSeed) await incoming.create();
    else void this.flood(message, old);
    if (!isSeed && !(await this.joinNew(incoming, message, old, refreshMs))) {
      await this.node.unhost(name);
      this.phase.on('abort');
      return this.tell({
        epoch: message.epoch,
        from,
        to: message.algorithm,
        outcome: 'aborted',
        reason: `no peer running ${message.algorithm} answered, not even the seed ${message.seed.url}`,
      });
    }
    if (isSeed) void this.flood(message, old);
    this.#other = incoming;
    await this.copy(old, incoming);
    this.phase.on('joined');
    for (let check = 0; check < AGREEMENT_CHECKS; check++) {
      if (await this.agree(old, incoming)) break;
      await sleep(refreshMs / 2);
    }
    // The owners agree: what was copied now sits where the new overlay will look for it.
    await this.copy(old, incoming);
    this.#active = incoming;
    this.#other = old;
    this.phase.on('agree');
    await sleep(2 * refreshMs);
    // Quietly: no Leave, no handover, the bindings are in the new overlay already.
    this.#other = undefined;
    await this.node.unhost({ layer: LAYER, algorithm: old.algorithm });
    this.phase.on('grace-over');
    this.tell({ epoch: message.epoch, from, to: message.algorithm, outcome: 'done' });
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
    await Promise.all(
      floodTargets(over.state()).map((to) =>
        this.node.sendLayerMessage(name, to, message).catch(() => undefined),
      ),
    );
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
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
