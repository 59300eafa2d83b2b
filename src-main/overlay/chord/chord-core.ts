import {
  OverlayTimeoutError,
  OverlayUnreachableError,
  type NodeRef,
  type OverlayComponents,
  type OverlayMessage,
  type OverlayState,
} from '../overlay.ts';
import { BindingStore } from './binding-store.ts';
import type { ChordNodeState } from './chord-node-state.ts';
import { NoRouteError, PeerRefusedError, TooManyHopsError } from './chord-errors.ts';
import type { ChordRequest, StoredBinding } from './chord-messages.ts';
import type { ResolvedChordSettings } from './chord-settings.ts';
import { ChordTables } from './chord-tables.ts';
import { toPeer, toRef, type Peer } from './peer.ts';
import { between, toId } from './ring.ts';

/** How many dead nodes are remembered for partition healing, and for how many refresh periods. */
const GRAVEYARD_SIZE = 32;
const GRAVEYARD_PERIODS = 60;
/** Refresh periods between a dead node answering again and the bindings check (rings merge meanwhile). */
const RECHECK_PERIODS = 6;

export interface CallOptions {
  /** Tries before giving up on silence; default settings.attempts. */
  attempts?: number;
  /** Max-Forwards of the request; default settings.maxForwards. */
  maxForwards?: number;
}

/** A node that did not answer, could not be reached, or refused: the request went nowhere. */
export function isPeerFailure(
  error: unknown,
): error is OverlayTimeoutError | OverlayUnreachableError | PeerRefusedError {
  return (
    error instanceof OverlayTimeoutError ||
    error instanceof OverlayUnreachableError ||
    error instanceof PeerRefusedError
  );
}

/** A lookup that could not finish: a peer failure, no route, or too many hops. */
export function isRouteFailure(error: unknown): boolean {
  return isPeerFailure(error) || error instanceof NoRouteError || error instanceof TooManyHopsError;
}

/**
 * What a failed request says about the node asked: it left the ring (480, 503: drop it now),
 * it refused for another reason (it is alive), or it stayed silent (count a miss).
 */
export function failureKind(
  error: OverlayTimeoutError | OverlayUnreachableError | PeerRefusedError,
): 'departed' | 'refused' | 'silent' {
  if (error instanceof PeerRefusedError) return isDeparture(error) ? 'departed' : 'refused';
  return 'silent';
}

/** A refusal that means "I am not (or no longer) part of the ring": drop me, do not wait for me. */
export function isDeparture(error: unknown): boolean {
  return error instanceof PeerRefusedError && (error.status === 480 || error.status === 503);
}

/**
 * One node's state and the small operations every procedure shares: sending with retries,
 * liveness bookkeeping, responsibility for bindings, events upward. The procedures themselves
 * (join, stabilize, lookup, replication, leave) live in their own files and take a core; the
 * handlers answer other nodes from it. ChordNode is the Overlay facade around one core.
 */
export class ChordCore {
  readonly self: Peer;
  readonly settings: ResolvedChordSettings;
  readonly tables: ChordTables;
  readonly store: BindingStore;
  readonly components: OverlayComponents;

  state: ChordNodeState = 'idle';
  /** The period in force: settings.refreshMs, or the RefreshRate our BootstrapOK named. */
  refreshMs: number;
  /**
   * The successor that last handed over the bindings I must hold (Notify with handover). A new
   * successor (after a join, a failure, or stabilize finding a closer one) is asked again.
   */
  handoverFrom: string | null = null;
  /** The finger fixFingers checks next. */
  nextFinger: number;
  /** Grows whenever the bindings I own change (a write, or my range moving). */
  ownedVersion = 0;
  /** Per successor, the ownedVersion it has a full copy of. */
  readonly replicatedTo = new Map<string, number>();
  /** Bindings taken for keys outside my range, to put again at their owner (storeAsOwner). */
  readonly handBack = new Map<string, StoredBinding>();
  /** When to put every held binding through handBack (after a partition healed). */
  recheckBindingsAt: number | null = null;
  /** The last error a refresh ran into that was not a peer failing (a bug), for state(). */
  lastRefreshError: string | null = null;

  /** Consecutive requests a node left unanswered. */
  readonly #misses = new Map<string, number>();
  /** Nodes declared dead, and until when third-party news of them is ignored. */
  readonly #deadUntil = new Map<string, number>();
  /**
   * Nodes declared dead, kept for a while to be asked again now and then: after a network
   * partition each side declares the other dead and goes on as a ring of its own; the first
   * of them that answers again is how the two rings find each other.
   */
  readonly #graveyard = new Map<string, { node: NodeRef; until: number }>();
  #emittedSignature = '';

  constructor(components: OverlayComponents, settings: ResolvedChordSettings) {
    this.components = components;
    this.settings = settings;
    this.self = toPeer(components.self);
    this.tables = new ChordTables(this.self, settings.successors, settings.fingers);
    this.store = new BindingStore(settings.tombstoneMs);
    this.refreshMs = settings.refreshMs;
    this.nextFinger = this.tables.fingers.first;
    this.#emittedSignature = this.tables.signature();
  }

  now(): number {
    return this.components.now();
  }

  /**
   * Sends a request and returns the answer, trying again on silence. A refusal throws
   * PeerRefusedError; silence after every try throws the transport's OverlayTimeoutError.
   */
  async call(to: NodeRef, message: ChordRequest, options: CallOptions = {}): Promise<OverlayMessage> {
    const attempts = options.attempts ?? this.settings.attempts;
    const sendOptions = {
      timeoutMs: this.settings.hopTimeoutMs,
      maxForwards: options.maxForwards ?? this.settings.maxForwards,
    };
    let silence: unknown = null;
    for (let attempt = 0; attempt < attempts; attempt++) {
      let reply;
      try {
        reply = await this.components.transport.send(toRef(to), { ...message }, sendOptions);
      } catch (error) {
        if (error instanceof OverlayTimeoutError) {
          silence = error;
          continue;
        }
        if (error instanceof OverlayUnreachableError) throw error;
        // The contract allows only the two errors above; anything else means the same to us.
        throw new OverlayUnreachableError(toRef(to), error instanceof Error ? error.message : String(error));
      }
      this.heardFrom(to);
      if (!reply.ok) throw new PeerRefusedError(toRef(to), reply.status, reply.reason);
      return reply.message;
    }
    throw silence ?? new OverlayTimeoutError(toRef(to));
  }

  /** Any sign of life: the node is not dead, whatever others said. */
  heardFrom(node: NodeRef): void {
    this.#misses.delete(node.id);
    this.#deadUntil.delete(node.id);
  }

  /**
   * Counts a request the node left unanswered; at settings.failures in a row it is declared
   * dead: dropped from every table, and onNodeFailed goes up. Returns whether it was dropped.
   */
  noteMiss(node: NodeRef): boolean {
    const misses = (this.#misses.get(node.id) ?? 0) + 1;
    if (misses < this.settings.failures) {
      this.#misses.set(node.id, misses);
      return false;
    }
    this.declareDead(node);
    return true;
  }

  declareDead(node: NodeRef): void {
    this.#misses.delete(node.id);
    // Neighbours' lists may still name it for a while; do not take it back from them.
    this.#deadUntil.set(node.id, this.now() + 2 * this.settings.failures * this.refreshMs);
    this.#graveyard.delete(node.id);
    this.#graveyard.set(node.id, {
      node: toRef(node),
      until: this.now() + GRAVEYARD_PERIODS * this.refreshMs,
    });
    if (this.#graveyard.size > GRAVEYARD_SIZE) this.#graveyard.delete(this.#graveyard.keys().next().value!);
    this.forget(node);
    this.components.delegate?.onNodeFailed?.(toRef(node));
  }

  isDead(id: string): boolean {
    const until = this.#deadUntil.get(id);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.#deadUntil.delete(id);
    return false;
  }

  /**
   * A lookup or request to `node` failed. A departure (480, 503) drops it at once; silence
   * drops it from the fingers (they are hints, refilled by fixFingers) and counts as a miss.
   */
  suspect(node: NodeRef, error: unknown): void {
    if (!isPeerFailure(error)) return;
    const kind = failureKind(error);
    if (kind === 'departed') this.forget(node);
    if (kind !== 'silent') return;
    this.tables.fingers.remove(node.id, this.tables.successors.list());
    this.noteMiss(node);
  }

  /** After a refresh request failed: drop a departed node, count a silent one. Returns whether it is gone. */
  refreshFailed(
    node: NodeRef,
    error: OverlayTimeoutError | OverlayUnreachableError | PeerRefusedError,
  ): boolean {
    const kind = failureKind(error);
    if (kind === 'departed') this.forget(node);
    if (kind === 'silent') return this.noteMiss(node);
    return kind === 'departed';
  }

  /** Forgets liveness notes about nodes no longer in my tables, and death notices that expired. */
  tidy(): void {
    const known = new Set(this.tables.known().map((node) => node.id));
    for (const id of this.#misses.keys()) if (!known.has(id)) this.#misses.delete(id);
    for (const id of [...this.#deadUntil.keys()]) this.isDead(id);
    const now = this.now();
    for (const [id, grave] of this.#graveyard) if (grave.until <= now) this.#graveyard.delete(id);
  }

  /** The node declared dead longest ago that is still worth asking, moved to the back of the queue. */
  nextGrave(): NodeRef | null {
    const first = this.#graveyard.entries().next();
    if (first.done) return null;
    const [id, grave] = first.value;
    this.#graveyard.delete(id);
    this.#graveyard.set(id, grave);
    return grave.node;
  }

  /**
   * A node declared dead answered: it is alive after all, and perhaps a partition healed. While
   * apart, each side stored bindings at what it took for their owners; once the rings have
   * merged (a few periods from now), every binding I hold is checked against its real owner.
   */
  resurrected(node: NodeRef): void {
    this.#graveyard.delete(node.id);
    this.recheckBindingsAt = this.now() + RECHECK_PERIODS * this.refreshMs;
  }

  /** Takes a node into the tables where it fits, unless it was declared dead recently. */
  consider(node: Peer): boolean {
    if (this.isDead(node.id)) return false;
    return this.tables.consider(node);
  }

  /** Drops a node from every table (it left, died, or is not in the ring). */
  forget(node: NodeRef): void {
    const wasPredecessor = this.tables.predecessor?.id === node.id;
    this.tables.forget(node.id);
    this.replicatedTo.delete(node.id);
    // Losing my predecessor widens my range: the keys of the dead are mine now. I hold their
    // replicas, unless a replica write to me was lost: my successor, the next replica, hands
    // over what it holds on my next Notify, so that I own them all.
    if (wasPredecessor) {
      this.ownedVersion++;
      this.handoverFrom = null;
    }
  }

  setPredecessor(node: Peer | null): void {
    if ((this.tables.predecessor?.id ?? null) === (node?.id ?? null)) return;
    this.tables.predecessor = node;
    this.ownedVersion++;
  }

  /** Whether I own `key` now: it lies in (predecessor, me], or I know no predecessor. */
  owns(key: bigint): boolean {
    const pred = this.tables.predecessor;
    return !pred || this.tables.isAlone() || between(pred.position, key, this.self.position, '(]');
  }

  /** What I replicate to my successors: everything in my range (everything, with no predecessor). */
  ownedBindings(): StoredBinding[] {
    const pred = this.tables.predecessor;
    if (!pred || this.tables.isAlone()) return this.store.all();
    return this.store.inRange(pred.position, this.self.position);
  }

  /** Merges copies in; a change to a key I own bumps ownedVersion and goes up as onBindingsChanged. */
  mergeBindings(bindings: readonly StoredBinding[]): StoredBinding[] {
    const changed = bindings.filter((binding) => this.store.merge(binding));
    const aors = new Set<string>();
    for (const binding of changed) if (this.owns(BindingStore.keyOf(binding.aor))) aors.add(binding.aor);
    if (aors.size > 0) this.ownedVersion++;
    const delegate = this.components.delegate;
    if (delegate?.onBindingsChanged) {
      for (const aor of aors) delegate.onBindingsChanged(aor, this.store.live(aor, this.now()));
    }
    return changed;
  }

  /** Remembers bindings to put again at their owner once the ring has settled. */
  holdForOwner(bindings: readonly StoredBinding[]): void {
    for (const binding of bindings) {
      this.handBack.set(`${binding.aor}\n${binding.contact}\n${binding.writtenAt}`, binding);
    }
  }

  /** Back to a ring of one (before joining, after leaving). */
  resetTables(): void {
    this.tables.successors.clear();
    this.tables.predecessor = null;
    this.tables.fingers.fill([]);
    this.replicatedTo.clear();
    this.handoverFrom = null;
    this.#misses.clear();
    this.nextFinger = this.tables.fingers.first;
  }

  /** onNeighboursChanged, once per change of predecessor, successors or fingers. */
  emitChanged(): void {
    const signature = this.tables.signature();
    if (signature === this.#emittedSignature) return;
    this.#emittedSignature = signature;
    this.components.delegate?.onNeighboursChanged?.(this.snapshot());
  }

  snapshot(): OverlayState {
    const { tables } = this;
    return {
      layer: this.settings.layer,
      algorithm: 'chord',
      self: toRef(this.self),
      joined: this.state === 'joined',
      tables: {
        state: this.state,
        successors: tables.successors.list().map(toRef),
        predecessor: tables.predecessor ? toRef(tables.predecessor) : null,
        fingers: tables.fingers
          .entries()
          .map((entry) => ({ start: toId(entry.start), node: toRef(entry.node) })),
        refreshRate: Math.max(1, Math.round(this.refreshMs / 1000)),
        ...(this.lastRefreshError ? { lastRefreshError: this.lastRefreshError } : {}),
      },
      bindings: this.store.liveCount(this.now()),
    };
  }
}
