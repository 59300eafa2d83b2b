import { RETIRE_AFTER_PERIODS } from '../../src-main/app/identity/switch-authority.ts';
import { resolveLabOptions } from '../../src-main/app/lab/index.ts';
import type { ResolvedLabOptions } from '../../src-main/app/lab/index.ts';
import { resolveChordSettings } from '../../src-main/overlay/chord/index.ts';
import { resolveOneHopSettings } from '../../src-main/overlay/onehop/index.ts';
import { Prng } from '../../src-main/overlay/sim/prng.ts';
import { isInterrupted } from '../worker-host.ts';
import { growRing, waitForRing } from '../ring/grow-ring.ts';
import type { RingWait } from '../ring/grow-ring.ts';
import { measureJoinCost } from '../ring/join-cost.ts';
import type { JoinCost } from '../ring/join-cost.ts';
import { RingCluster } from '../ring/ring-cluster.ts';
import type { RingMember } from '../ring/ring-cluster.ts';
import { problemText, ringText, summarize } from '../ring/run.ts';
import { measureSteady } from './measure-algorithm.ts';
import { memberListSize } from './member-list-size.ts';
import type { AlgorithmAtSize, IdentityBenchOptions, IdentitySize } from './run.ts';
import { measureSwitch } from './switch-time.ts';
import type { SwitchTime } from './switch-time.ts';

/** One size of the identity benchmark (run.ts draws the steps). */
export async function measureSize(
  peers: number,
  seed: number,
  options: IdentityBenchOptions,
): Promise<IdentitySize> {
  return new SizeBench(peers, seed, options).run();
}

/** Peers of one network: who grows it, who makes the measured joins, who is spare. */
interface Network {
  cluster: RingCluster;
  first: RingMember[];
  joiners: RingMember[];
  spare: RingMember[];
}

class SizeBench {
  readonly #lab: ResolvedLabOptions;
  readonly #joins: number;
  readonly #size: IdentitySize;
  readonly #order: Prng;
  readonly #bootstrapPrng: Prng;
  readonly #switchPrng: Prng;
  readonly #clusters: RingCluster[] = [];

  constructor(
    readonly peers: number,
    readonly seed: number,
    readonly options: IdentityBenchOptions,
  ) {
    this.#lab = resolveLabOptions({ peers, seed });
    this.#joins = options.quick ? 3 : 5;
    const defaultRefreshMs = resolveChordSettings().refreshMs;
    if (resolveOneHopSettings().refreshMs !== defaultRefreshMs)
      throw new Error('chord and onehop have different default refresh periods: compare them at each one');
    this.#order = new Prng(seed ^ peers);
    this.#bootstrapPrng = new Prng(seed ^ peers ^ 0x27d4eb2f);
    this.#switchPrng = new Prng(seed ^ peers ^ 0x61c88647);
    this.#size = {
      peers,
      hosts: Math.max(2, Math.ceil(peers / 50)),
      refreshMs: this.#lab.refreshMs,
      hopTimeoutMs: this.#lab.hopTimeoutMs,
      defaultRefreshMs,
      measuredJoins: this.#joins,
      keysMs: 0,
      formed: null,
      formedOnehop: null,
      chord: null,
      onehop: null,
      memberList: null,
      toOnehop: null,
      toChord: null,
      chordAgain: null,
      lookupsAgain: null,
      problems: [],
      durationMs: 0,
    };
  }

  async run(): Promise<IdentitySize> {
    const size = this.#size;
    const started = performance.now();
    this.#log(
      `  ${this.peers} peers in ${size.hosts} hosts, refresh ${this.#lab.refreshMs / 1000} s (the lab's), seed ${this.seed}`,
    );
    try {
      // chord, as every network starts, then a switch to onehop on the same peers.
      const first = await this.#open();
      size.formed = await this.#grow(first, 'chord');
      if (!size.formed.correct) return size;
      size.chord = await this.#measure(first, 'chord', false);
      size.toOnehop = await this.#switch(first.cluster, 'onehop', 1);
      if (size.toOnehop.doneMs !== null) {
        // The same peers on onehop: j leave, so that j others can make the measured joins into N − j.
        const leavers = this.#order.shuffle(first.cluster.up()).slice(0, this.#joins);
        for (const member of leavers) await first.cluster.leave(member);
        await this.#settle(first.cluster, `onehop members after ${this.#joins} left`);
        size.onehop = await this.#measure({ ...first, joiners: first.spare }, 'onehop', false);
        size.toChord = await this.#switch(first.cluster, 'chord', 2);
      } else {
        await first.cluster.stop();
        this.#log(`    onehop on ${this.peers} fresh peers instead (the switch did not finish):`);
        const fresh = await this.#open();
        size.formedOnehop = await this.#grow(fresh, 'onehop');
        if (!size.formedOnehop.correct) return size;
        size.onehop = await this.#measure(fresh, 'onehop', true);
        size.toChord = await this.#switch(fresh.cluster, 'chord', 1);
      }
      return size;
    } catch (error) {
      if (isInterrupted()) throw error;
      // One size failing says something about that size; the others still run.
      size.problems.push(`stopped: ${(error as Error).message}`);
      this.#log(`    stopped: ${(error as Error).message}`);
      return size;
    } finally {
      await Promise.all(this.#clusters.map((c) => c.stop()));
      size.durationMs = performance.now() - started;
      this.#log(`    (${this.peers} peers: ${(size.durationMs / 60_000).toFixed(1)} min)`);
    }
  }

  /** A login server and peer hosts with N + j peers (j spare, for onehop's measured joins). */
  async #open(): Promise<Network> {
    const keysStarted = performance.now();
    const cluster = await RingCluster.start({
      peers: this.peers + this.#joins,
      hosts: this.#size.hosts,
      refreshMs: this.#lab.refreshMs,
      hopTimeoutMs: this.#lab.hopTimeoutMs,
    });
    this.#clusters.push(cluster);
    this.#size.keysMs ||= performance.now() - keysStarted;
    const order = this.#order.shuffle(cluster.members);
    const n = this.peers - this.#joins;
    return {
      cluster,
      first: order.slice(0, n),
      joiners: order.slice(n, this.peers),
      spare: order.slice(this.peers),
    };
  }

  /** N − j peers join `algorithm` one after another, until every table is right. */
  async #grow(network: Network, algorithm: string): Promise<RingWait> {
    network.cluster.algorithm = algorithm;
    const started = performance.now();
    await growRing(network.cluster, network.first, this.#bootstrapPrng);
    this.#log(
      `    ${network.first.length} joined ${algorithm} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    return this.#settle(network.cluster, `${algorithm} of ${network.first.length}`);
  }

  /** j measured joins into the idle overlay, then the steady numbers at N. */
  async #measure(network: Network, algorithm: string, freshPeers: boolean): Promise<AlgorithmAtSize> {
    const { cluster } = network;
    const lab = this.#lab;
    this.#log(`    ${algorithm}:`);
    const joinCost = await measureJoinCost(cluster, network.joiners, {
      periodMs: lab.refreshMs,
      // One binding-refresh period (join-cost.ts says why); a quick run takes a third of it.
      windowMs: this.options.quick ? 20_000 : cluster.loginRefreshSeconds * 1000,
      prng: this.#bootstrapPrng,
      log: this.#log,
    });
    this.#log(`      ${joinText(joinCost)}`);
    const settled = await this.#settle(cluster, `${algorithm} of ${this.peers}`);
    if (algorithm === 'onehop') {
      const list = memberListSize((await cluster.states())[0]);
      this.#size.memberList = list;
      this.#log(
        `      MemberList of ${list.members}: ${list.bodyBytes} bytes (${list.bytesPerMember.toFixed(0)} per member; 64 KiB at ${list.ceiling})`,
      );
    }
    const quick = this.options.quick;
    const steady = await measureSteady(cluster, {
      refreshMs: lab.refreshMs,
      defaultRefreshMs: this.#size.defaultRefreshMs,
      maintenanceSeconds: quick ? 20 : this.#size.defaultRefreshMs / 1000,
      perPeer: quick ? 2 : 5,
      calls: quick ? 10 : 50,
      seed: this.seed + (algorithm === 'chord' ? 0 : 1),
      log: this.#log,
    });
    return { algorithm, settled, joinCost, freshPeers, ...steady };
  }

  /** A switch of every live peer to `to`; once done, the new overlay's tables checked, and after one to chord, lookups. */
  async #switch(cluster: RingCluster, to: string, epoch: number): Promise<SwitchTime> {
    const lab = this.#lab;
    const result = await measureSwitch(cluster, {
      to,
      epoch,
      refreshMs: lab.refreshMs,
      // As `chordline lab` asks: the switch lasts as many of the ring's periods as a real one's.
      retireAfterMs: RETIRE_AFTER_PERIODS * lab.refreshMs,
      timeoutMs: lab.switchTimeoutMs,
      prng: this.#switchPrng,
    });
    this.#log(`    ${switchText(result)}`);
    if (result.doneMs === null) {
      this.#size.problems.push(...result.failed);
      return result;
    }
    cluster.algorithm = to;
    const settled = await this.#settle(cluster, `${to} of ${this.peers} after the switch`);
    if (to === 'chord') {
      this.#size.chordAgain = settled;
      const lookups = summarize(await cluster.lookups(1, this.seed + 2), this.peers);
      this.#size.lookupsAgain = lookups;
      this.#log(
        `    ${lookups.lookups} lookups on it: mean ${lookups.meanHops.toFixed(2)} hops, ${lookups.failures} wrong or failed`,
      );
    }
    return result;
  }

  async #settle(cluster: RingCluster, what: string): Promise<RingWait> {
    const wait = await waitForRing(cluster, this.#lab.formTimeoutMs);
    this.#log(`    ${what}: ${ringText(wait)}`);
    if (!wait.correct) this.#size.problems.push(`${what}: tables not right (${problemText(wait)})`);
    return wait;
  }

  readonly #log = (line: string): void => this.options.log(line);
}

function joinText(j: JoinCost): string {
  const kB = (bytes: number) => (bytes / 1000).toFixed(1);
  return (
    `${j.joins} joins into ${j.ringSize}: ${j.requestsPerJoin.toFixed(0)} requests, ${j.datagramsPerJoin.toFixed(0)} datagrams, ${kB(j.bytesPerJoin)} kB sent per join` +
    ` (less the newcomer's own refreshes: ${j.net.requestsPerJoin.toFixed(0)} requests, ${kB(j.net.bytesPerJoin)} kB)`
  );
}

export function switchText(s: SwitchTime): string {
  const sec = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);
  const head = `switch ${s.from} → ${s.to} (${s.peers} peers, seed ${s.seed})`;
  if (s.refused) return `${head}: refused, ${s.refused}`;
  return (
    `${head}: every peer heard ${sec(s.heardMs)}, joined ${sec(s.joinedMs)}, moved ${sec(s.movedMs)}, done ${sec(s.doneMs)} (median peer ${sec(s.p50DoneMs)})` +
    ` (${s.done} done, ${s.aborted} aborted, ${s.pending} still switching; refresh ${s.refreshMs / 1000} s, RetireAfter ${s.retireAfterMs / 1000} s)` +
    (s.failed.length > 0 ? `; ${s.failed[0]}` : '')
  );
}
