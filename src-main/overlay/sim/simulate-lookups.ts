import { chord } from '../chord/chord.ts';
import type { ChordNode } from '../chord/chord-node.ts';
import type { ChordSettings } from '../chord/chord-settings.ts';
import { SortedRing } from '../chord/check-ring.ts';
import { toPeer, type Peer } from '../chord/peer.ts';
import { ID_BITS, between, fingerStart, toPosition } from '../chord/ring.ts';
import { FakeClock } from './fake-clock.ts';
import { Prng } from './prng.ts';
import { SimNetwork } from './sim-network.ts';
import { SimRing } from './sim-ring.ts';

export interface LookupSimulation {
  nodes: number;
  lookups: number;
  /** 'ideal': the ring's tables computed from the sorted ids; 'joined': every node joined through the protocol. */
  build: 'ideal' | 'joined';
  meanHops: number;
  p50Hops: number;
  p95Hops: number;
  maxHops: number;
  /** Lookups that ended at another node than successor(key): 0 in a correct ring. */
  wrongOwners: number;
  /** The target the issue sets: 1/2 log2(N) + 1. */
  bound: number;
}

export interface SimulateOptions {
  /** Default: 'joined' up to 2,000 nodes, 'ideal' beyond (joining 100,000 nodes one by one takes hours). */
  build?: 'ideal' | 'joined';
  settings?: ChordSettings;
}

/**
 * Mean and p95 hops of `lookups` random lookups (random asking node, random key) in a ring of
 * `n` chord nodes on the in-memory network, for `npm run bench`. The lookups run the real
 * ChordNode code hop by hop (FindSuccessor over the SimNetwork); only the ring's formation may be
 * skipped for large n, by giving each node the tables a converged ring would have
 * (ChordNode.adoptTables). The same seed gives the same ring and the same keys.
 */
export async function simulateLookups(
  n: number,
  lookups: number,
  seed = 1,
  options: SimulateOptions = {},
): Promise<LookupSimulation> {
  const build = options.build ?? (n <= 2_000 ? 'joined' : 'ideal');
  const settings = options.settings ?? {};
  const { clock, nodes } =
    build === 'ideal' ? idealRing(n, seed, settings) : await joinedRing(n, seed, settings);
  const ring = new SortedRing(nodes.map((node) => node.self.id));
  const random = new Prng(seed * 31 + 7);
  const hops: number[] = [];
  let wrongOwners = 0;
  const batch = 1_000;
  for (let done = 0; done < lookups; done += batch) {
    const jobs = Array.from({ length: Math.min(batch, lookups - done) }, async () => {
      const key = random.id();
      const result = await nodes[random.below(nodes.length)].route(key);
      hops.push(result.hops);
      if (toPosition(result.owner.id) !== ring.positions[ring.successorIndex(toPosition(key))]) wrongOwners++;
    });
    await clock.run(Promise.all(jobs));
  }
  hops.sort((a, b) => a - b);
  const quantile = (q: number): number => hops[Math.min(hops.length - 1, Math.floor(q * hops.length))] ?? 0;
  return {
    nodes: n,
    lookups,
    build,
    meanHops: hops.reduce((sum, h) => sum + h, 0) / Math.max(1, hops.length),
    p50Hops: quantile(0.5),
    p95Hops: quantile(0.95),
    maxHops: hops[hops.length - 1] ?? 0,
    wrongOwners,
    bound: 0.5 * Math.log2(n) + 1,
  };
}

async function joinedRing(
  n: number,
  seed: number,
  settings: ChordSettings,
): Promise<{ clock: FakeClock; nodes: ChordNode[] }> {
  const refreshMs = settings.refreshMs ?? 1_000;
  const sim = new SimRing({ factory: chord({ hopTimeoutMs: 100, ...settings, refreshMs }), seed });
  await sim.grow(n);
  // Let stabilization finish what the joins started (successor lists, fingers).
  await sim.advance(((settings.successors ?? 4) + 4) * refreshMs);
  for (const node of sim.live()) await node.stop();
  return { clock: sim.clock, nodes: sim.live() as ChordNode[] };
}

/** Every node with the tables of a converged ring: predecessor, r successors, 160 fingers. */
function idealRing(
  n: number,
  seed: number,
  settings: ChordSettings,
): { clock: FakeClock; nodes: ChordNode[] } {
  const clock = new FakeClock();
  const network = new SimNetwork(clock, { seed });
  const factory = chord(settings);
  const r = settings.successors ?? 4;
  const fingerCount = settings.fingers ?? ID_BITS;
  const peers: Peer[] = Array.from({ length: n }, (_, i) => toPeer(SimRing.ref(seed, i))).sort((a, b) =>
    a.position < b.position ? -1 : a.position > b.position ? 1 : 0,
  );
  const ring = new SortedRing([]);
  ring.positions.push(...peers.map((peer) => peer.position));
  const nodes = peers.map((peer, k) => {
    const node = factory(network.components(peer)) as ChordNode;
    network.attach(peer.url, node);
    const fingers: Peer[] = [];
    let previous: Peer | null = null;
    for (let i = ID_BITS - fingerCount + 1; i <= ID_BITS; i++) {
      const start = fingerStart(peer.position, i);
      if (!previous || !between(peer.position, start, previous.position, '(]')) {
        previous = peers[ring.successorIndex(start)];
      }
      fingers.push(previous);
    }
    node.adoptTables({
      predecessor: n > 1 ? peers[(k - 1 + n) % n] : null,
      successors: Array.from({ length: Math.min(r, n - 1) }, (_, j) => peers[(k + 1 + j) % n]),
      fingers,
    });
    return node;
  });
  return { clock, nodes };
}
