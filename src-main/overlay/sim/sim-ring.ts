import type { NodeRef, Overlay, OverlayDelegate, OverlayFactory, OverlayState } from '../overlay.ts';
import { idOf } from '../chord/ring.ts';
import { FakeClock } from './fake-clock.ts';
import { Prng } from './prng.ts';
import { SimNetwork, type SimNetworkOptions } from './sim-network.ts';

export interface SimRingOptions {
  /** Builds each node (e.g. chord({...})). */
  factory: OverlayFactory;
  /** Seeds node ids, join order, bootstrap choice and the network. Default 1. */
  seed?: number;
  network?: Omit<SimNetworkOptions, 'seed'>;
  /** Gets every node's events (the node's url tells them apart). */
  delegate?: (self: NodeRef) => OverlayDelegate;
}

/**
 * Many overlay nodes on one SimNetwork and one FakeClock: the cast of a simulation story. Node
 * i has the id SHA-1("sim-<seed>-<i>") and the URL sip:n<i>@10.x.y.z:5060, so a seed fixes the
 * ring. Joins, crashes and leaves are driven to completion on the fake clock.
 */
export class SimRing {
  readonly clock = new FakeClock();
  readonly network: SimNetwork;
  readonly random: Prng;
  readonly #options: SimRingOptions;
  readonly #seed: number;
  readonly #live = new Map<string, Overlay>();
  #made = 0;

  constructor(options: SimRingOptions) {
    this.#options = options;
    this.#seed = options.seed ?? 1;
    this.random = new Prng(this.#seed * 7919 + 17);
    this.network = new SimNetwork(this.clock, { ...options.network, seed: this.#seed });
  }

  static ref(seed: number, i: number): NodeRef {
    return {
      id: idOf(`sim-${seed}-${i}`),
      url: `sip:n${i}@10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:5060`,
    };
  }

  /** A new node (node `index`, by default the next unused one), attached and started, not yet in the ring. */
  async add(index = this.#made): Promise<Overlay> {
    this.#made = Math.max(this.#made, index + 1);
    const self = SimRing.ref(this.#seed, index);
    const delegate = this.#options.delegate?.(self);
    const node = this.#options.factory(this.network.components(self, delegate));
    this.network.attach(self.url, node);
    await node.start();
    return node;
  }

  /** The first node: a ring of one. */
  async create(index?: number): Promise<Overlay> {
    const node = await this.add(index);
    await node.create();
    this.#live.set(node.self.id, node);
    return node;
  }

  /** A new node joins through three random live nodes (or the given ones), as a login server's list. */
  async join(bootstrap?: NodeRef[], index?: number): Promise<Overlay> {
    const node = await this.add(index);
    await this.joinNode(node, bootstrap);
    return node;
  }

  async joinNode(node: Overlay, bootstrap?: NodeRef[]): Promise<void> {
    const via =
      bootstrap ??
      this.random
        .shuffle(this.live())
        .slice(0, 3)
        .map((n) => n.self);
    await this.clock.run(node.join(via));
    this.#live.set(node.self.id, node);
  }

  /**
   * n new nodes that all start at once from nodes they were told of (Overlay.adopt, as in a
   * switch of a layer's algorithm), each taking `known(self, everyone)`; none sends anything.
   */
  async adoptAll(
    n: number,
    known: (self: NodeRef, all: readonly NodeRef[]) => NodeRef[],
  ): Promise<Overlay[]> {
    const nodes = await Promise.all(Array.from({ length: n }, () => this.add()));
    const all = nodes.map((node) => node.self);
    for (const node of nodes) {
      if (!node.adopt) throw new Error(`${node.algorithm} cannot adopt nodes`);
      node.adopt(known(node.self, all));
      this.#live.set(node.self.id, node);
    }
    return nodes;
  }

  /**
   * A ring of n nodes, each joining through random nodes already in. A join that fails (every
   * bootstrap node silent on a lossy network) is tried again, as the app would.
   */
  async grow(n: number): Promise<Overlay[]> {
    const nodes = this.#live.size === 0 ? [await this.create()] : [];
    while (this.#live.size < n) {
      const node = await this.add();
      for (let attempt = 1; ; attempt++) {
        try {
          await this.joinNode(node);
          break;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
      nodes.push(node);
    }
    return nodes;
  }

  /** kill -9: no word to anyone; its timers stop with it. */
  async crash(node: Overlay): Promise<void> {
    this.network.crash(node.self.url);
    await node.stop();
    this.#live.delete(node.self.id);
  }

  async leave(node: Overlay): Promise<void> {
    this.#live.delete(node.self.id);
    await this.clock.run(node.leave());
    await node.stop();
    this.network.detach(node.self.url);
  }

  /** A random live node. */
  pick(): Overlay {
    const nodes = this.live();
    if (nodes.length === 0) throw new Error('SimRing: no live node');
    return nodes[this.random.below(nodes.length)];
  }

  live(): Overlay[] {
    return [...this.#live.values()];
  }

  states(): OverlayState[] {
    return this.live().map((node) => node.state());
  }

  /** Lets time pass: `ms` of refreshes, lookups in flight, timeouts. */
  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
  }

  /** Drives an operation of a node to completion on the fake clock. */
  run<T>(promise: Promise<T>): Promise<T> {
    return this.clock.run(promise);
  }
}
