import {
  OverlayTimeoutError,
  OverlayUnreachableError,
  type NodeRef,
  type OverlayComponents,
  type OverlayMessage,
  type OverlayState,
} from '../overlay.ts';
import { BindingStore } from '../chord/binding-store.ts';
import { toPeer, toRef, type Peer } from '../chord/peer.ts';
import { between } from '../chord/ring.ts';
import { GossipQueue } from './gossip-queue.ts';
import { Membership, type MemberStatus } from './membership.ts';
import { MemberRefusedError } from './onehop-errors.ts';
import type { Gossip, MemberList, MemberNews, OneHopRequest, StoredBinding } from './onehop-messages.ts';
import type { OneHopNodeState } from './onehop-node-state.ts';
import type { ResolvedOneHopSettings } from './onehop-settings.ts';

export interface CallOptions {
  /** Tries before giving up on silence; default settings.attempts. */
  attempts?: number;
  /** Max-Forwards of the request; default settings.maxForwards. */
  maxForwards?: number;
}

/** A node that did not answer, could not be reached, or refused: the request went nowhere. */
export function isPeerFailure(
  error: unknown,
): error is OverlayTimeoutError | OverlayUnreachableError | MemberRefusedError {
  return (
    error instanceof OverlayTimeoutError ||
    error instanceof OverlayUnreachableError ||
    error instanceof MemberRefusedError
  );
}

/** A refusal that means "I am not (or no longer) a member": 480 or 503. */
export function isDeparture(error: unknown): boolean {
  return error instanceof MemberRefusedError && (error.status === 480 || error.status === 503);
}

/**
 * One node's state and the operations every procedure shares: sending with retries, failure
 * detection, news in and out, responsibility for bindings, events upward. The procedures (join,
 * refresh, bindings, leave) live in their own files and take a core; the handlers answer other
 * nodes from it. OneHopNode is the Overlay facade around one core.
 */
export class OneHopCore {
  readonly self: Peer;
  readonly settings: ResolvedOneHopSettings;
  readonly members: Membership;
  readonly store: BindingStore;
  readonly news = new GossipQueue();
  readonly components: OverlayComponents;

  state: OneHopNodeState = 'idle';
  /** The period in force: settings.refreshMs, or the RefreshRate our MemberList named. */
  refreshMs: number;
  /** Grows whenever what I own changes (a write to my range, or my range moving). */
  ownedVersion = 0;
  /** Per replica target, the ownedVersion it has a full copy of. */
  readonly replicatedTo = new Map<string, number>();
  /** The predecessor my range was last computed from. */
  rangeFrom: Peer | null = null;
  /**
   * A member that appeared between my predecessor and me without joining through me (I heard of
   * it by gossip): it owns part of what I held, so it gets my handover, as a joiner gets it in
   * its MemberList. Retried each refresh until acknowledged.
   */
  handoverTo: Peer | null = null;
  /** Bindings taken for a key another member owns (the putter could not reach it): put again there. */
  readonly handBack = new Map<string, StoredBinding>();
  /** Refreshes in a row in which a neighbour's digest differed from mine, and the last such neighbour. */
  mismatches = 0;
  mismatchWith: Peer | null = null;
  /** Where the round-robin of random probes stands in the list of other members. */
  probeCursor = 0;
  /** The last error a refresh ran into that was not a peer failing (a bug), for state(). */
  lastRefreshError: string | null = null;

  /** Consecutive requests a member left unanswered. */
  readonly #misses = new Map<string, number>();
  /** Members a caller reported (reportFailure): routed around until heard from or declared failed. */
  readonly #suspected = new Set<string>();
  #emittedSignature = '';

  constructor(components: OverlayComponents, settings: ResolvedOneHopSettings) {
    this.components = components;
    this.settings = settings;
    this.self = toPeer(components.self);
    this.members = new Membership(this.self, Math.floor(components.now()), components.now());
    this.store = new BindingStore(settings.tombstoneMs);
    this.refreshMs = settings.refreshMs;
    this.#emittedSignature = this.#signature();
  }

  now(): number {
    return this.components.now();
  }

  /**
   * Sends a request and returns the answer, trying again on silence. A refusal throws
   * MemberRefusedError; silence after every try throws the transport's OverlayTimeoutError.
   */
  async call(to: NodeRef, message: OneHopRequest, options: CallOptions = {}): Promise<OverlayMessage> {
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
      if (!reply.ok) throw new MemberRefusedError(toRef(to), reply.status, reply.reason);
      return reply.message;
    }
    throw silence ?? new OverlayTimeoutError(toRef(to));
  }

  /** Any answer or request: the node is not silent (it is not made alive again: only news does that). */
  heardFrom(node: NodeRef): void {
    this.#misses.delete(node.id);
    this.#suspected.delete(node.id);
  }

  /** A request the member left unanswered; at settings.failures in a row it is declared failed. */
  noteMiss(node: NodeRef): void {
    const misses = (this.#misses.get(node.id) ?? 0) + 1;
    if (misses < this.settings.failures) {
      this.#misses.set(node.id, misses);
      return;
    }
    this.#misses.delete(node.id);
    this.declare('failed', node);
  }

  /** A request to `node` failed: a departure (480, 503) is final at once, silence counts a miss. */
  failed(node: NodeRef, error: unknown): void {
    if (isDeparture(error)) this.declare('failed', node);
    else if (error instanceof OverlayTimeoutError || error instanceof OverlayUnreachableError)
      this.noteMiss(node);
  }

  /** A caller found `node` silent: route around it now, and count a miss. */
  suspect(node: NodeRef): void {
    if (!this.members.isAlive(node.id)) return;
    this.#suspected.add(node.id);
    this.noteMiss(node);
  }

  /** Whether the member left requests unanswered lately. */
  missed(id: string): boolean {
    return this.#misses.has(id);
  }

  /** Members to route around: the suspected ones. */
  suspected(): ReadonlySet<string> {
    return this.#suspected;
  }

  /** This node found `node` failed, or learnt that it left: record it at its known incarnation and spread it. */
  declare(status: Exclude<MemberStatus, 'alive'>, node: NodeRef): void {
    const held = this.members.get(node.id);
    if (!held || held.status !== 'alive' || node.id === this.self.id) return;
    this.learn({
      alive: [],
      failed: [],
      left: [],
      [status]: [{ id: held.id, url: held.url, incarnation: held.incarnation }],
    });
    this.#suspected.delete(node.id);
    if (status === 'failed') this.components.delegate?.onNodeFailed?.(toRef(held));
  }

  /**
   * Takes news in: what changes my table goes into the gossip queue to be passed on; news that
   * I am dead is refuted with a higher incarnation of mine. Returns how many entries changed.
   */
  learn(news: MemberNews): number {
    let changed = 0;
    const now = this.now();
    for (const status of ['alive', 'failed', 'left'] as const) {
      for (const record of news[status]) {
        const outcome = this.members.apply(status, record, now);
        if (outcome === 'changed') {
          changed++;
          this.news.add(status, record);
          this.#misses.delete(record.id);
        } else if (outcome === 'refuted') {
          this.news.add('alive', this.selfRecord());
        }
      }
    }
    if (changed > 0) this.#rangeMayHaveMoved();
    return changed;
  }

  selfRecord(): { id: string; url: string; incarnation: number } {
    return { id: this.self.id, url: this.self.url, incarnation: this.members.incarnation };
  }

  /**
   * A Gossip for `to`: my digest and the least-sent news; and if `to` is not alive in my table,
   * what I hold about it, so that a node wrongly declared failed learns it and refutes.
   */
  gossipFor(to: NodeRef | null): Gossip {
    const { settings, members } = this;
    const news = this.news.take(settings.piggyback, members.alive().length, settings.gossipRounds);
    const held = to ? members.get(to.id) : undefined;
    if (held && held.status !== 'alive' && !news[held.status].some((r) => r.id === held.id)) {
      news[held.status].push({ id: held.id, url: held.url, incarnation: held.incarnation });
    }
    return { kind: 'Gossip', digest: members.digest(), ...news };
  }

  /** My whole table, and the bindings given (a joining node's handover). */
  memberList(bindings: StoredBinding[]): MemberList {
    const { members } = this;
    return {
      kind: 'MemberList',
      refreshRate: Math.max(1, Math.round(this.refreshMs / 1000)),
      alive: members.records('alive'),
      failed: members.records('failed'),
      left: members.records('left'),
      bindings,
    };
  }

  /** Whether I own `key` by my view. */
  owns(key: bigint): boolean {
    return this.members.owns(key);
  }

  /** What I replicate: every binding whose key lies in my range. */
  ownedBindings(): StoredBinding[] {
    const pred = this.members.predecessor();
    return pred ? this.store.inRange(pred.position, this.self.position) : this.store.all();
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

  /** Remembers bindings to put again at their owner. */
  holdForOwner(bindings: readonly StoredBinding[]): void {
    for (const b of bindings) this.handBack.set(`${b.aor}\n${b.contact}\n${b.writtenAt}`, b);
  }

  /**
   * A table of one (before joining, after leaving), at a fresh incarnation: the one my successor
   * gave me when joining, else one above any of mine so far.
   */
  reset(incarnation = Math.max(Math.floor(this.now()), this.members.incarnation + 1)): void {
    this.members.reset(incarnation, this.now());
    this.news.clear();
    this.replicatedTo.clear();
    this.handBack.clear();
    this.#misses.clear();
    this.#suspected.clear();
    this.rangeFrom = null;
    this.handoverTo = null;
    this.mismatches = 0;
    this.mismatchWith = null;
  }

  /** Forgets liveness notes about nodes no longer members, and old tombstones. */
  tidy(): void {
    for (const id of this.#misses.keys()) if (!this.members.isAlive(id)) this.#misses.delete(id);
    this.members.purge(this.now(), this.settings.memberTombstoneMs);
    for (const id of this.replicatedTo.keys()) if (!this.members.isAlive(id)) this.replicatedTo.delete(id);
  }

  /** onNeighboursChanged, once per change of the alive members. */
  emitChanged(): void {
    const signature = this.#signature();
    if (signature === this.#emittedSignature) return;
    this.#emittedSignature = signature;
    this.components.delegate?.onNeighboursChanged?.(this.snapshot());
  }

  snapshot(): OverlayState {
    const { members } = this;
    const pred = members.predecessor();
    const succ = members.successor();
    return {
      layer: this.settings.layer,
      algorithm: 'onehop',
      self: toRef(this.self),
      joined: this.state === 'joined',
      tables: {
        state: this.state,
        members: members.alive().map((m) => ({ id: m.id, url: m.url, incarnation: m.incarnation })),
        version: members.version,
        digest: members.digest(),
        incarnation: members.incarnation,
        successor: succ ? toRef(succ) : null,
        predecessor: pred ? toRef(pred) : null,
        failed: members.records('failed').map((r) => r.id),
        left: members.records('left').map((r) => r.id),
        refreshRate: Math.max(1, Math.round(this.refreshMs / 1000)),
        ...(this.lastRefreshError ? { lastRefreshError: this.lastRefreshError } : {}),
      },
      bindings: this.store.liveCount(this.now()),
    };
  }

  /** My range starts after my predecessor: when it changes, what I own changes with it. */
  #rangeMayHaveMoved(): void {
    const pred = this.members.predecessor();
    const before = this.rangeFrom;
    if ((pred?.id ?? null) === (before?.id ?? null)) return;
    this.rangeFrom = pred;
    this.ownedVersion++;
    const newcomer = pred && (!before || between(before.position, pred.position, this.self.position, '()'));
    if (newcomer) this.handoverTo = pred;
  }

  #signature(): string {
    return `${this.state}|${this.members.digest()}`;
  }
}
