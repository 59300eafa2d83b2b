import { isLive, toBinding } from '../chord/binding-store.ts';
import { BadChordMessageError } from '../chord/chord-errors.ts';
import { toPeer, toRef } from '../chord/peer.ts';
import { InvalidIdError, toPosition } from '../chord/ring.ts';
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
import { UnknownOverlayMessageError } from '../overlay.ts';
import { getBindings, putBinding } from './bindings.ts';
import { handlerFor } from './handlers/index.ts';
import { join } from './join.ts';
import { leaveOverlay } from './leave.ts';
import { OneHopCore } from './onehop-core.ts';
import { BadMemberMessageError, NotAMemberError } from './onehop-errors.ts';
import type { OneHopNodeState } from './onehop-node-state.ts';
import { resolveOneHopSettings, type OneHopSettings } from './onehop-settings.ts';
import { refresh } from './refresh.ts';

/**
 * The identity layer's second algorithm: every member knows every member, so a lookup is answered
 * from the node's own table and a request reaches its key's owner in one hop (or none). Suited to
 * overlays below a hundred or so members, where a full table is cheap and Chord's log N hops are
 * not. Keys, ownership and bindings are Chord's, so both algorithms put a binding on the same node.
 */
export class OneHopNode implements Overlay {
  readonly algorithm = 'onehop';
  readonly layer: string;
  readonly self: NodeRef;

  readonly #core: OneHopCore;
  #running = false;
  #cancelRefresh: (() => void) | null = null;
  #refreshing = false;
  #refreshDue = false;
  #joining: Promise<void> | null = null;
  #leaving: Promise<void> | null = null;

  constructor(components: OverlayComponents, settings?: OneHopSettings) {
    const resolved = resolveOneHopSettings(settings);
    this.#core = new OneHopCore(components, resolved);
    this.layer = resolved.layer;
    this.self = toRef(components.self);
  }

  /** Where the node stands (onehop-node-state.ts). */
  get joinState(): OneHopNodeState {
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
    this.#core.reset();
    this.#core.state = 'joined';
    this.#afterChange();
  }

  /**
   * Overlay.adopt: these nodes are members from the start (at incarnation 0, so that any word
   * from them, with their real incarnation, wins). My own arrival is news the gossip spreads; the
   * digests then pull in whatever members these nodes did not include.
   */
  adopt(nodes: readonly NodeRef[]): void {
    const core = this.#core;
    if (core.state === 'joined') return;
    core.reset();
    const others = nodes.filter((node) => node.id !== this.self.id);
    core.learn({
      alive: others.map((n) => ({ id: n.id, url: n.url, incarnation: 0 })),
      failed: [],
      left: [],
    });
    core.news.clear();
    core.news.add('alive', core.selfRecord());
    core.state = 'joined';
    this.#afterChange();
  }

  knownNodes(): NodeRef[] {
    return this.#core.members.others().map(toRef);
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
    this.#leaving = leaveOverlay(this.#core).finally(() => {
      this.#leaving = null;
      this.#afterChange();
    });
    return this.#leaving;
  }

  /**
   * From my own table, asking nobody: the owner is the first member at or after the key. `hops`
   * counts the one hop a request takes to get there (0 when the key is mine).
   */
  async route(key: Id): Promise<RouteResult> {
    this.#requireJoined('route');
    const owner = this.#core.members.owner(toPosition(key), this.#core.suspected());
    const here = owner.id === this.self.id;
    return { owner: toRef(owner), hops: here ? 0 : 1, path: here ? [] : [toRef(owner)] };
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

  /** 'here' or the owner, by my table; members in `avoid` (or reported silent) are skipped. */
  nextHop(key: Id, avoid: ReadonlySet<Id> = new Set()): NextHop {
    this.#requireJoined('route a request');
    const skip = new Set([...avoid, ...this.#core.suspected()]);
    const owner = this.#core.members.owner(toPosition(key), skip);
    if (owner.id === this.self.id) return { kind: 'here' };
    return { kind: 'owner', node: toRef(owner) };
  }

  localBindings(aor: string): Binding[] {
    return this.#core.store.live(aor, this.#core.now()).map(toBinding);
  }

  storedBindings(): Binding[] {
    const now = this.#core.now();
    return this.#core.store
      .all()
      .filter((binding) => isLive(binding, now))
      .map(toBinding);
  }

  /**
   * A member did not carry a request: routing goes to the next member at once, and the miss
   * counts toward declaring it failed (which a member that is in fact alive refutes).
   */
  reportFailure(node: NodeRef): void {
    this.#core.suspect(node);
    this.#afterChange();
  }

  async receive(from: NodeRef, message: OverlayMessage): Promise<OverlayReply> {
    const core = this.#core;
    try {
      const sender = toPeer(from);
      core.heardFrom(sender);
      return await handlerFor(String(message.kind))(core, sender, message);
    } catch (error) {
      if (
        error instanceof UnknownOverlayMessageError ||
        error instanceof BadChordMessageError ||
        error instanceof BadMemberMessageError
      ) {
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

  #requireJoined(what: string): void {
    if (this.#core.state !== 'joined') throw new NotAMemberError(what);
  }

  /** Arms the fixed-rate refresh of a joined, running node (no-op otherwise, or when armed). */
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
