import {
  OverlayTimeoutError,
  OverlayUnreachableError,
  type NodeRef,
  type OverlayComponents,
  type OverlayDelegate,
  type OverlayMessage,
  type OverlayReply,
  type OverlayTransport,
  type SendOptions,
} from '../overlay.ts';
import type { FakeClock } from './fake-clock.ts';
import { Prng } from './prng.ts';

/** How the simulated network treats datagrams; change it between phases of a story. */
export interface NetworkConditions {
  /** Probability that a request or an answer is lost. */
  loss: number;
  /** Probability that a request arrives twice (the receiver handles both; the second answer is ignored). */
  duplication: number;
  /** One-way delay in ms. */
  delayMs: number;
  /** Up to this much more, uniformly: datagrams overtake each other. */
  jitterMs: number;
}

export interface SimNetworkOptions extends Partial<NetworkConditions> {
  /** Seeds loss, duplication and jitter: the same seed replays the same run. Default 1. */
  seed?: number;
}

/** What the network delivers to: an Overlay, or anything with its receive(). */
export interface SimEndpoint {
  receive(from: NodeRef, message: OverlayMessage): Promise<OverlayReply>;
}

export interface SimNetworkStats {
  /** Requests handed to send(). */
  requests: number;
  /** Requests and answers dropped by loss, partition or crash. */
  dropped: number;
  duplicated: number;
  timeouts: number;
  /** Requests by message kind (messages per join, maintenance traffic...). */
  byKind: Map<string, number>;
}

/**
 * An in-memory network for overlay algorithms, driven by a FakeClock: every request and answer
 * travels as a scheduled task, copied (structuredClone) so that nodes never share objects. A
 * crashed node neither answers nor sends nor runs its timers: its callers get
 * OverlayTimeoutError after their timeout, as over UDP. Nodes are addressed by URL.
 */
export class SimNetwork {
  readonly stats: SimNetworkStats = {
    requests: 0,
    dropped: 0,
    duplicated: 0,
    timeouts: 0,
    byKind: new Map(),
  };
  readonly #clock: FakeClock;
  readonly #random: Prng;
  #conditions: NetworkConditions;
  readonly #endpoints = new Map<string, SimEndpoint>();
  readonly #crashed = new Set<string>();
  /** URL → partition group; URLs in different groups cannot reach each other. */
  readonly #groups = new Map<string, number>();

  constructor(clock: FakeClock, options: SimNetworkOptions = {}) {
    this.#clock = clock;
    this.#random = new Prng(options.seed ?? 1);
    this.#conditions = {
      loss: options.loss ?? 0,
      duplication: options.duplication ?? 0,
      delayMs: options.delayMs ?? 0,
      jitterMs: options.jitterMs ?? 0,
    };
  }

  get conditions(): Readonly<NetworkConditions> {
    return this.#conditions;
  }

  setConditions(changes: Partial<NetworkConditions>): void {
    this.#conditions = { ...this.#conditions, ...changes };
  }

  /** Everything a node needs from its surroundings: transport, clock, timers that stop when it crashes. */
  components(self: NodeRef, delegate?: OverlayDelegate): OverlayComponents {
    return {
      self: { id: self.id, url: self.url },
      transport: this.transport(self),
      ...(delegate ? { delegate } : {}),
      now: this.#clock.now,
      schedule: (ms, task) => this.#clock.schedule(ms, () => this.#crashed.has(self.url) || task()),
    };
  }

  transport(self: NodeRef): OverlayTransport {
    const from = { id: self.id, url: self.url };
    return { send: (to, message, options) => this.#send(from, to, message, options) };
  }

  attach(url: string, endpoint: SimEndpoint): void {
    this.#endpoints.set(url, endpoint);
    this.#crashed.delete(url);
  }

  /** The node is gone for good; requests to it go unanswered. */
  detach(url: string): void {
    this.#endpoints.delete(url);
    this.#crashed.add(url);
  }

  /** kill -9: the node stops answering, sending and running timers, without a word. */
  crash(url: string): void {
    this.#crashed.add(url);
  }

  isCrashed(url: string): boolean {
    return this.#crashed.has(url);
  }

  /** Splits the network: URLs in different groups cannot reach each other (others are unaffected). */
  partition(...groups: ReadonlyArray<readonly string[]>): void {
    this.#groups.clear();
    groups.forEach((group, i) => group.forEach((url) => this.#groups.set(url, i)));
  }

  heal(): void {
    this.#groups.clear();
  }

  #send(from: NodeRef, to: NodeRef, message: OverlayMessage, options: SendOptions): Promise<OverlayReply> {
    this.stats.requests++;
    const kind = String(message.kind);
    this.stats.byKind.set(kind, (this.stats.byKind.get(kind) ?? 0) + 1);
    if (!this.#endpoints.has(to.url) && !this.#crashed.has(to.url)) {
      return Promise.reject(new OverlayUnreachableError(to, 'no node at that address'));
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const cancelTimeout = this.#clock.schedule(options.timeoutMs, () => {
        if (settled) return;
        settled = true;
        this.stats.timeouts++;
        reject(new OverlayTimeoutError(to));
      });
      const answer = (reply: OverlayReply): void => {
        if (!this.#passes(to.url, from.url)) return;
        const copy = structuredClone(reply);
        this.#clock.schedule(this.#delay(), () => {
          if (settled || this.#crashed.has(from.url)) return;
          settled = true;
          cancelTimeout();
          resolve(copy);
        });
      };
      const copies = this.#random.chance(this.#conditions.duplication) ? 2 : 1;
      if (copies === 2) this.stats.duplicated++;
      for (let i = 0; i < copies; i++) {
        if (!this.#passes(from.url, to.url)) continue;
        const copy = structuredClone(message);
        this.#clock.schedule(this.#delay(), () => {
          const endpoint = this.#endpoints.get(to.url);
          if (!endpoint || this.#crashed.has(to.url)) return;
          endpoint.receive({ ...from }, copy).then(answer, (error: unknown) =>
            answer({
              ok: false,
              status: 500,
              reason: error instanceof Error ? error.message : String(error),
            }),
          );
        });
      }
    });
  }

  /** Whether a datagram from → to survives crash, partition and loss. */
  #passes(fromUrl: string, toUrl: string): boolean {
    const groupFrom = this.#groups.get(fromUrl);
    const groupTo = this.#groups.get(toUrl);
    const cut = groupFrom !== undefined && groupTo !== undefined && groupFrom !== groupTo;
    if (
      this.#crashed.has(fromUrl) ||
      this.#crashed.has(toUrl) ||
      cut ||
      this.#random.chance(this.#conditions.loss)
    ) {
      this.stats.dropped++;
      return false;
    }
    return true;
  }

  #delay(): number {
    const { delayMs, jitterMs } = this.#conditions;
    return delayMs + (jitterMs > 0 ? this.#random.next() * jitterMs : 0);
  }
}
