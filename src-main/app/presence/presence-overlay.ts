import type {
  Binding,
  Id,
  NextHop,
  NodeRef,
  Overlay,
  OverlayComponents,
  OverlayFactory,
  OverlayMessage,
  OverlayReply,
  OverlayState,
  RouteResult,
} from '../../overlay/overlay.ts';
import type { PresenceMessage, Redirect } from '../../overlay/xml/index.ts';
import type { PresenceCarrier } from './presence-carrier.ts';
import { PresenceRefusedError } from './presence-errors.ts';
import { presenceKey } from './presence-key.ts';
import { resolvePresenceSettings } from './presence-settings.ts';
import type { PresenceSettings, ResolvedPresenceSettings } from './presence-settings.ts';
import { PresencePublisher } from './publisher.ts';
import { PresenceRendezvous } from './rendezvous.ts';
import { responsibleNode } from './responsible-node.ts';
import { PresenceWatcher } from './watcher.ts';

/** What the presence service needs beyond the overlay's components. */
export interface PresenceDependencies {
  /** The AOR this device publishes for (its certificate's). */
  aor: string;
  /** The AOR in the verified certificate of a sender, by NodeID (PeerNode.knownPeers). */
  senderAor(nodeId: string): string | undefined;
  /** Background failures (a refresh, a push); they never stop the layer. */
  onError?(error: unknown): void;
}

const PRESENCE_KINDS: ReadonlySet<string> = new Set([
  'PublishPresence',
  'SubscribePresence',
  'PresenceNotify',
]);

/**
 * The presence feature layer (paper, section 2: feature overlays, each with its own P2P
 * mechanism): an overlay of its own, run by any algorithm of the overlay contract (`inner`, a
 * chord ring built for layer "presence"), with the presence service on top. It is an Overlay
 * itself so that the peer hands it every message of its `<Overlay layer="presence">` part: the
 * service's three messages are served here, the ring's own go to the algorithm.
 *
 * Nothing here reads the identity layer: switching, leaving or rejoining the identity overlay
 * leaves this ring, its tables and its subscriptions alone.
 *
 * Lifecycle, as every overlay: `start()` → `create()` or `join()` (then: publish, subscribe,
 * and every refresh period again) → `leave()` (withdraw, then the ring's leave) → `stop()`.
 */
export class PresenceOverlay implements Overlay {
  readonly publisher: PresencePublisher;
  readonly watcher: PresenceWatcher;
  readonly rendezvous: PresenceRendezvous;
  private readonly settings: ResolvedPresenceSettings;
  private cancelRefresh: (() => void) | undefined;
  private cancelSweep: (() => void) | undefined;
  private running = false;
  private joined = false;
  private droppingMoved = false;

  constructor(
    private readonly components: OverlayComponents,
    private readonly inner: Overlay,
    private readonly dependencies: PresenceDependencies,
    settings: PresenceSettings = {},
  ) {
    this.settings = resolvePresenceSettings(settings);
    const onError = (error: unknown) => dependencies.onError?.(error);
    const carrier: PresenceCarrier = {
      self: inner.self,
      now: () => components.now(),
      owner: async (key, avoid) => {
        const { owner } = await inner.route(key);
        if (!avoid?.has(owner.id)) return owner;
        // A node that has just left (say) stays in my successor list until stabilize walks the
        // news round to me, and every lookup of mine still ends at it. Its successor, or a node
        // nearer the key whose tables have caught up, answers or redirects instead.
        const hop = inner.nextHop(key, avoid);
        return hop.kind === 'here' ? inner.self : hop.kind === 'none' ? owner : hop.node;
      },
      ownerFromTables: (key) => {
        try {
          const hop = inner.nextHop(key);
          return hop.kind === 'here' ? inner.self : hop.kind === 'owner' ? hop.node : undefined;
        } catch {
          return undefined; // not in the ring (yet, or any more)
        }
      },
      send: (to, message) => this.send(to, message),
    };
    this.publisher = new PresencePublisher(carrier, this.settings, dependencies.aor);
    this.watcher = new PresenceWatcher(carrier, this.settings, onError);
    // This device's own requests are served locally, without a certificate to look at.
    const senderAor = (nodeId: string) =>
      nodeId === inner.self.id ? dependencies.aor : dependencies.senderAor(nodeId);
    this.rendezvous = new PresenceRendezvous(carrier, this.settings, senderAor, onError);
  }

  get layer(): string {
    return this.inner.layer;
  }

  get algorithm(): string {
    return this.inner.algorithm;
  }

  get self(): NodeRef {
    return this.inner.self;
  }

  async start(): Promise<void> {
    await this.inner.start();
    if (this.running) return;
    this.running = true;
    this.armSweep();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.joined = false;
    this.cancelRefresh?.();
    this.cancelSweep?.();
    this.cancelRefresh = this.cancelSweep = undefined;
    await this.inner.stop();
  }

  async create(): Promise<void> {
    await this.inner.create();
    await this.afterJoin();
  }

  async join(bootstrap: NodeRef[]): Promise<void> {
    await this.inner.join(bootstrap);
    await this.afterJoin();
  }

  /** Graceful: watchers of this user learn at once that this device is gone, then the ring is told. */
  async leave(): Promise<void> {
    this.joined = false;
    this.cancelRefresh?.();
    await this.publisher.withdraw().catch((error: unknown) => this.dependencies.onError?.(error));
    await this.inner.leave();
  }

  route(key: Id): Promise<RouteResult> {
    return this.inner.route(key);
  }

  put(binding: Binding): Promise<void> {
    return this.inner.put(binding);
  }

  get(aor: string): Promise<Binding[]> {
    return this.inner.get(aor);
  }

  nextHop(key: Id, avoid?: ReadonlySet<Id>): NextHop {
    return this.inner.nextHop(key, avoid);
  }

  localBindings(aor: string): Binding[] {
    return this.inner.localBindings(aor);
  }

  storedBindings(): Binding[] {
    return this.inner.storedBindings();
  }

  reportFailure(node: NodeRef): void {
    this.inner.reportFailure(node);
  }

  async receive(from: NodeRef, message: OverlayMessage): Promise<OverlayReply> {
    if (!PRESENCE_KINDS.has(message.kind)) return this.inner.receive(from, message);
    return this.serve(from, message as unknown as PresenceMessage);
  }

  state(): OverlayState {
    const inner = this.inner.state();
    return {
      ...inner,
      tables: {
        ...inner.tables,
        presence: {
          published: this.publisher.current,
          watching: this.watcher.watching().length,
          rendezvous: this.rendezvous.counts(),
        },
      },
    };
  }

  private async serve(from: NodeRef, message: PresenceMessage): Promise<OverlayReply> {
    switch (message.kind) {
      case 'PublishPresence':
        return (await this.redirect(message.aor)) ?? this.rendezvous.publish(from, message);
      case 'SubscribePresence':
        // An unsubscription is for whoever holds the subscription: this node, responsible or not.
        if (message.expires === 0) return this.rendezvous.subscribe(from, message);
        return (await this.redirect(message.aor)) ?? this.rendezvous.subscribe(from, message);
      case 'PresenceNotify':
        return this.watcher.receive(from, message);
    }
  }

  /**
   * A Redirect to the AOR's rendezvous node when this node is no longer it (responsible-node.ts):
   * "ask `Next`", as a chord node answers a binding request for a key outside its range.
   */
  private async redirect(aor: string): Promise<OverlayReply | undefined> {
    const next = await responsibleNode(this.inner, presenceKey(aor));
    if (!next) return undefined;
    const redirect: Redirect = { kind: 'Redirect', next: { id: next.id, url: next.url } };
    return { ok: true, message: redirect as unknown as OverlayMessage };
  }

  /** A request to this node itself is served here rather than sent to our own SIP port. */
  private async send(to: NodeRef, message: PresenceMessage): Promise<OverlayMessage> {
    const reply =
      to.id === this.self.id
        ? await this.serve(this.self, message)
        : await this.components.transport.send(to, message as unknown as OverlayMessage, {
            timeoutMs: this.settings.hopTimeoutMs,
          });
    if (!reply.ok) throw new PresenceRefusedError(reply.status, reply.reason);
    return reply.message;
  }

  private async afterJoin(): Promise<void> {
    this.joined = true;
    await this.refresh();
    this.armRefresh();
  }

  private async refresh(): Promise<void> {
    const onError = (error: unknown) => this.dependencies.onError?.(error);
    await Promise.all([this.publisher.publish().catch(onError), this.watcher.refresh().catch(onError)]);
  }

  private armRefresh(): void {
    this.cancelRefresh?.();
    if (!this.running || !this.joined) return;
    this.cancelRefresh = this.components.schedule(this.settings.refreshMs, () => {
      void this.refresh().finally(() => this.armRefresh());
    });
  }

  /**
   * The AORs whose key the ring has moved to another node since the last sweep (a join before
   * this node): forgotten here, their watchers sent on (PresenceRendezvous.dropMoved). One check
   * at a time; in a steady ring it costs no message (the node's own tables say "here").
   */
  private async dropMoved(): Promise<void> {
    if (this.droppingMoved || !this.joined) return;
    this.droppingMoved = true;
    try {
      await this.rendezvous.dropMoved((key) => responsibleNode(this.inner, key));
    } catch (error) {
      this.dependencies.onError?.(error);
    } finally {
      this.droppingMoved = false;
    }
  }

  private armSweep(): void {
    if (!this.running) return;
    this.cancelSweep = this.components.schedule(
      this.settings.refreshMs / this.settings.sweepsPerPeriod,
      () => {
        try {
          this.rendezvous.sweep();
        } catch (error) {
          this.dependencies.onError?.(error);
        }
        void this.dropMoved();
        this.armSweep();
      },
    );
  }
}

/**
 * The presence layer as a registry entry (STYLE.md example 5): the ring's algorithm and the
 * service's settings now, the components when the peer hosts the layer.
 */
export function presenceOver(
  algorithm: OverlayFactory,
  dependencies: PresenceDependencies,
  settings: PresenceSettings = {},
): OverlayFactory {
  resolvePresenceSettings(settings);
  return (components) => new PresenceOverlay(components, algorithm(components), dependencies, settings);
}
