import type {
  Binding,
  Id,
  NextHop,
  NodeRef,
  Overlay,
  OverlayComponents,
  OverlayMessage,
  OverlayReply,
  OverlayState,
  RouteResult,
} from '../overlay.ts';
import { OverlayTimeoutError, UnknownOverlayMessageError } from '../overlay.ts';
import { getBindings, putBinding } from './binding-requests.ts';
import { isLive, toBinding } from './binding-store.ts';
import { ChordCore } from './chord-core.ts';
import { BadChordMessageError, NotJoinedError } from './chord-errors.ts';
import type { ChordNodeState } from './chord-node-state.ts';
import { resolveChordSettings, type ChordSettings } from './chord-settings.ts';
import { handlerFor } from './handlers/index.ts';
import { join } from './join.ts';
import { leaveRing } from './leave-ring.ts';
import { findSuccessor } from './lookup.ts';
import { toPeer, toRef, type Peer } from './peer.ts';
import { refresh } from './refresh.ts';
import { distance, InvalidIdError, toPosition } from './ring.ts';

/** A ring position computed outside the node (ChordNode.adoptTables). */
export interface RingPosition {
  predecessor: NodeRef | null;
  successors: readonly NodeRef[];
  /** One node per finger kept, from finger (161 - settings.fingers) to 160. */
  fingers: readonly NodeRef[];
}

/**
 * The identity layer's first algorithm: a Chord ring whose messages the app carries in SIP
 * REGISTER bodies (paper, sections 4.2 and 5.2). The Overlay facade over a ChordCore: lifecycle,
 * the refresh timer, and the entry points; the algorithm lives in the procedure files.
 */
export class ChordNode implements Overlay {
  readonly algorithm = 'chord';
  readonly layer: string;
  readonly self: NodeRef;

  readonly #core: ChordCore;
  #running = false;
  #cancelRefresh: (() => void) | null = null;
  #refreshing = false;
  #refreshDue = false;
  #joining: Promise<void> | null = null;
  #leaving: Promise<void> | null = null;

  constructor(components: OverlayComponents, settings?: ChordSettings) {
    const resolved = resolveChordSettings(settings);
    this.#core = new ChordCore(components, resolved);
    this.layer = resolved.layer;
    this.self = toRef(components.self);
  }

  /** Where the node stands: idle, joining, joined, leaving, left or failed (chord-node-state.ts). */
  get joinState(): ChordNodeState {
    return this.#core.state;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#arm();
  }

  /** Stops the refresh timer; sends nothing (leave() is the polite way out). */
  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelRefresh?.();
    this.#cancelRefresh = null;
  }

  async create(): Promise<void> {
    if (this.#core.state === 'joined') return;
    this.#core.resetTables();
    this.#core.state = 'joined';
    this.#afterChange();
  }

  /**
   * Overlay.adopt: the successor list, fingers and predecessor that these nodes give (each table
   * keeps the nearest of them where it fits, as when a node makes itself known). From a converged
   * ring's or a full membership's nodes, the tables are right at once; stabilize checks them.
   */
  adopt(nodes: readonly NodeRef[]): void {
    const core = this.#core;
    if (core.state === 'joined') return;
    core.resetTables();
    const peers = nodes.filter((node) => node.id !== this.self.id).map(toPeer);
    for (const peer of peers) core.tables.consider(peer);
    // My predecessor: the node farthest round the ring from me, that is, the nearest before me.
    const self = toPeer(this.self);
    core.tables.predecessor = peers.reduce<Peer | null>(
      (best, peer) =>
        !best || distance(self.position, peer.position) > distance(self.position, best.position)
          ? peer
          : best,
      null,
    );
    core.state = 'joined';
    this.#afterChange();
  }

  knownNodes(): NodeRef[] {
    return this.#core.tables.known().map(toRef);
  }

  /** Joins; a second call while joining waits for the same join, one when joined does nothing. */
  async join(bootstrap: NodeRef[]): Promise<void> {
    if (this.#core.state === 'joined') return;
    this.#joining ??= join(this.#core, bootstrap).finally(() => {
      this.#joining = null;
      this.#afterChange();
    });
    return this.#joining;
  }

  /** Leaves gracefully; a second call waits for the same leave. */
  async leave(): Promise<void> {
    if (this.#leaving) return this.#leaving;
    if (this.#core.state !== 'joined') {
      if (this.#core.state !== 'joining') this.#core.state = 'left';
      return;
    }
    this.#cancelRefresh?.();
    this.#cancelRefresh = null;
    this.#leaving = leaveRing(this.#core).finally(() => {
      this.#leaving = null;
      this.#afterChange();
    });
    return this.#leaving;
  }

  async route(key: Id): Promise<RouteResult> {
    this.#requireJoined('route');
    const found = await findSuccessor(this.#core, toPosition(key));
    this.#afterChange();
    return { owner: toRef(found.owner), hops: found.hops, path: found.path };
  }

  async put(binding: Binding): Promise<void> {
    this.#requireJoined('store a binding');
    await putBinding(this.#core, binding);
    this.#afterChange();
  }

  async get(aor: string): Promise<Binding[]> {
    this.#requireJoined('look up bindings');
    const bindings = await getBindings(this.#core, aor);
    this.#afterChange();
    return bindings;
  }

  /**
   * One routing step from my own tables (ChordTables.step): my range, a successor that owns the
   * key, or the closest preceding node I know.
   */
  nextHop(key: Id, avoid: ReadonlySet<Id> = new Set()): NextHop {
    this.#requireJoined('route a request');
    const step = this.#core.tables.step(toPosition(key), avoid);
    if (step === null) return { kind: 'none' };
    if ('next' in step) return { kind: 'closer', node: toRef(step.next) };
    if (step.owner.id === this.self.id) return { kind: 'here' };
    return { kind: 'owner', node: toRef(step.owner) };
  }

  localBindings(aor: string): Binding[] {
    return this.#core.store.live(aor, this.#core.now()).map(toBinding);
  }

  /** A node that did not carry a request: treated like one that did not answer a lookup. */
  reportFailure(node: NodeRef): void {
    this.#core.suspect(node, new OverlayTimeoutError(node));
    this.#afterChange();
  }

  async receive(from: NodeRef, message: OverlayMessage): Promise<OverlayReply> {
    const core = this.#core;
    try {
      const sender = toPeer(from);
      core.heardFrom(sender);
      return await handlerFor(String(message.kind))(core, sender, message);
    } catch (error) {
      if (error instanceof UnknownOverlayMessageError || error instanceof BadChordMessageError) {
        return { ok: false, status: 400, reason: error.message };
      }
      if (error instanceof InvalidIdError)
        return { ok: false, status: 400, reason: `Sender: ${error.message}` };
      throw error;
    } finally {
      this.#afterChange();
    }
  }

  state(): OverlayState {
    return this.#core.snapshot();
  }

  /**
   * Every live binding this node holds, as owner or replica (OverlayState only counts them): for
   * a node's status page, `chordline` inspection, and tests.
   */
  storedBindings(): Binding[] {
    const now = this.#core.now();
    return this.#core.store
      .all()
      .filter((binding) => isLive(binding, now))
      .map(toBinding);
  }

  /**
   * Takes a ring position computed outside (a simulation that builds the ideal ring of 100,000
   * nodes directly instead of running every join). The node is joined afterwards, as after
   * create() or join().
   */
  adoptTables(position: RingPosition): void {
    const core = this.#core;
    const peer = (node: NodeRef): Peer => ('position' in node ? (node as Peer) : toPeer(node));
    core.resetTables();
    core.tables.predecessor = position.predecessor ? peer(position.predecessor) : null;
    core.tables.successors.adopt(
      peer(position.successors[0] ?? core.self),
      position.successors.slice(1).map(peer),
    );
    const { fingers } = core.tables;
    position.fingers.forEach((node, k) => fingers.set(fingers.first + k, peer(node)));
    core.state = 'joined';
    this.#arm();
  }

  #requireJoined(what: string): void {
    if (this.#core.state !== 'joined') throw new NotJoinedError(what);
  }

  /**
   * Arms the refresh of a joined, running node (no-op otherwise, or when armed already). The
   * period is fixed-rate: a refresh that waits on dead nodes' timeouts does not stretch it, so
   * failures are detected within `failures` periods, not `failures` periods plus timeouts.
   */
  #arm(): void {
    const core = this.#core;
    if (!this.#running || this.#cancelRefresh || core.state !== 'joined') return;
    this.#cancelRefresh = core.components.schedule(core.refreshMs, () => {
      this.#cancelRefresh = null;
      this.#refresh();
      this.#arm();
    });
  }

  /** One refresh at a time; a period that comes due during one runs right after it. */
  #refresh(): void {
    if (this.#refreshing) {
      this.#refreshDue = true;
      return;
    }
    const core = this.#core;
    this.#refreshing = true;
    refresh(core)
      .catch((error: unknown) => {
        // Peers failing are handled inside; anything reaching here is a bug worth showing.
        core.lastRefreshError = error instanceof Error ? (error.stack ?? error.message) : String(error);
      })
      .finally(() => {
        this.#refreshing = false;
        this.#afterChange();
        if (this.#refreshDue && this.#running) {
          this.#refreshDue = false;
          this.#refresh();
        }
      });
  }

  #afterChange(): void {
    this.#core.emitChanged();
    this.#arm();
  }
}
