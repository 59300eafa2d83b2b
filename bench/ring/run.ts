import { mean, percentile, resolveLabOptions } from '../../src-main/app/lab/index.ts';
import { resolveChordSettings } from '../../src-main/overlay/chord/index.ts';
import { Prng } from '../../src-main/overlay/sim/prng.ts';
import type { LookupSimulation } from '../../src-main/overlay/sim/simulate-lookups.ts';
import { growRing, sleep, waitForRing } from './grow-ring.ts';
import type { RingWait } from './grow-ring.ts';
import { killAndHeal } from './heal.ts';
import type { HealResult } from './heal.ts';
import { measureJoinCost } from './join-cost.ts';
import type { JoinCost } from './join-cost.ts';
import { measureMaintenance } from './maintenance.ts';
import type { Maintenance } from './maintenance.ts';
import { RingCluster } from './ring-cluster.ts';
import type { CallSetupAnswer } from './ring-protocol.ts';

export interface CallSetup {
  calls: number;
  failures: number;
  /** INVITE sent to 200 OK received, milliseconds. */
  p50Ms: number;
  p95Ms: number;
  /** Peers between caller and callee, on average. */
  meanHops: number;
  failed: string[];
}
import { simulatedHops } from './simulated-hops.ts';

export interface RingBenchOptions {
  /** Shorter windows and a ring of 100 (a smoke run). */
  quick: boolean;
  /** Fixes the join order, bootstrap choices and keys looked up (NodeIDs are new each run). */
  seed?: number;
  log: (line: string) => void;
}

export interface RingLookups {
  lookups: number;
  failures: number;
  meanHops: number;
  p50Hops: number;
  p95Hops: number;
  maxHops: number;
  /** The target the issue sets, after the paper: 1/2 log2(N) + 1. */
  bound: number;
  p50Ms: number;
  p95Ms: number;
  failed: string[];
}

export interface RingRun {
  peers: number;
  hosts: number;
  seed: number;
  /** The ring's refresh period and hop timeout: `chordline lab`'s defaults for this many peers. */
  refreshMs: number;
  hopTimeoutMs: number;
  /** A real ring's refresh period (chord-settings.ts), used for the maintenance window. */
  defaultRefreshMs: number;
  /** The login server's RefreshRate: the peers' binding and revocation-list refresh. */
  loginRefreshSeconds: number;
  keysMs: number;
  /** The first peers' joins, one after another, and the wait until that ring was right. */
  joinMs: number;
  formed: RingWait;
  joinCost: JoinCost;
  /** The full ring after the measured joins. */
  full: RingWait;
  lookups: RingLookups;
  maintenance: Maintenance;
  heal: HealResult;
  /** Mean hops in the in-memory simulation at 1,000, 10,000 and 100,000 nodes. */
  simulated: LookupSimulation[];
  /** Calls between random pairs, each INVITE routed through the ring, every callee answering at once. */
  callSetup: CallSetup;
  durationMs: number;
}

/**
 * The Chord ring at 200 real peers (`chordline bench ring`): 4 peer hosts of 50 PeerNodes and a
 * login server, all on 127.0.0.1 over real UDP with real signatures.
 *
 *   keys → 190 joins, one after another → ring right (every table)
 *     → 10 measured joins into the idle ring (messages per join)
 *     → ring right → lookups from every peer (hops, latency, owners checked)
 *     → idle at 60 s refresh (bytes per peer and second)
 *     → SIGKILL two hosts (half the peers) → heal time, registrations lost
 *   then the simulation's mean hops at 1,000, 10,000, 100,000 nodes.
 */
export async function ringBench(options: RingBenchOptions): Promise<RingRun> {
  const { quick, log } = options;
  const started = performance.now();
  const peers = quick ? 100 : 200;
  const hosts = quick ? 2 : 4;
  const measuredJoins = quick ? 3 : 10;
  const seed = options.seed ?? Math.floor(Math.random() * 1_000_000);
  const lab = resolveLabOptions({ peers, seed });
  const defaultRefreshMs = resolveChordSettings().refreshMs;
  const order = new Prng(seed);
  const bootstrapPrng = new Prng(seed ^ 0x27d4eb2f);

  log(
    `  ring of ${peers} peers in ${hosts} hosts, refresh ${lab.refreshMs / 1000} s (the lab's), seed ${seed}`,
  );
  const keysStarted = performance.now();
  const cluster = await RingCluster.start({
    peers,
    hosts,
    refreshMs: lab.refreshMs,
    hopTimeoutMs: lab.hopTimeoutMs,
  });
  try {
    const keysMs = performance.now() - keysStarted;
    log(`    ${peers} peers opened, key pairs generated (${(keysMs / 1000).toFixed(1)} s)`);

    const joinOrder = order.shuffle(cluster.members);
    const first = joinOrder.slice(0, peers - measuredJoins);
    const joinStarted = performance.now();
    await growRing(cluster, first, bootstrapPrng);
    const joinMs = performance.now() - joinStarted;
    const formed = await waitForRing(cluster, lab.formTimeoutMs);
    log(`    ${first.length} joined (${(joinMs / 1000).toFixed(1)} s); ring ${ringText(formed)}`);
    if (!formed.correct) throw new Error(`the ring of ${first.length} never formed: ${problemText(formed)}`);

    const joinCost = await measureJoinCost(cluster, joinOrder.slice(first.length), {
      periodMs: lab.refreshMs,
      windowMs: cluster.loginRefreshSeconds * 1000,
      prng: bootstrapPrng,
      log,
    });
    log(
      `    messages per join (${joinCost.joins} joins into ${joinCost.ringSize}): ${joinCost.requestsPerJoin.toFixed(0)} requests, ${joinCost.datagramsPerJoin.toFixed(0)} datagrams (log2(N)² = ${joinCost.logSquared.toFixed(0)})`,
    );
    const full = await waitForRing(cluster, lab.formTimeoutMs);
    log(`    ring of ${peers}: ${ringText(full)}`);

    const perPeer = quick ? 2 : 5;
    const round = await cluster.lookups(perPeer, seed);
    const lookups = summarize(round, peers);
    log(
      `    ${lookups.lookups} lookups: mean ${lookups.meanHops.toFixed(2)} hops (bound ${lookups.bound.toFixed(2)}), p95 ${lookups.p95Hops}, latency p50 ${lookups.p50Ms.toFixed(1)} ms, p95 ${lookups.p95Ms.toFixed(1)} ms, ${lookups.failures} wrong or failed`,
    );

    const callSetup = summarizeCalls(await cluster.callSetup(quick ? 20 : 100, new Prng(seed ^ 0x2f6b7a43)));
    log(`    ${callsText(callSetup)}`);

    const maintenance = await measureMaintenance(cluster, {
      ringRefreshMs: lab.refreshMs,
      refreshMs: defaultRefreshMs,
      seconds: defaultRefreshMs / 1000,
    });
    log(
      `    idle at ${defaultRefreshMs / 1000} s refresh: ${maintenance.bytesSentPerPeerPerSecond.toFixed(0)} B/s sent, ${maintenance.bytesReceivedPerPeerPerSecond.toFixed(0)} B/s received per peer (${maintenance.seconds.toFixed(0)} s)`,
    );

    // Back at the ring's period: one period for every timer to be back in step before the kill.
    await sleep(lab.refreshMs);

    const heal = await killAndHeal(
      cluster,
      Array.from({ length: hosts / 2 }, (_, i) => hosts / 2 + i),
      {
        refreshMs: lab.refreshMs,
        timeoutMs: lab.healTimeoutMs,
        perPeer,
        seed: seed + 1000,
        prng: new Prng(seed ^ 0x165667b1),
      },
    );
    log(
      `    killed ${heal.killed} (up to ${heal.longestRun} side by side): ` +
        (heal.healedMs === null
          ? `not healed within ${heal.timeoutMs / 1000} s (${heal.problemsLeft} entries wrong)`
          : `healed in ${(heal.healedMs / 1000).toFixed(1)} s`) +
        `; registrations ${heal.registrations.found}/${heal.registrations.checked}`,
    );
    await cluster.stop();

    const simulated = await simulatedHops(quick ? 2_000 : 10_000, log);
    return {
      peers,
      hosts,
      seed,
      refreshMs: lab.refreshMs,
      hopTimeoutMs: lab.hopTimeoutMs,
      defaultRefreshMs,
      loginRefreshSeconds: cluster.loginRefreshSeconds,
      keysMs,
      joinMs,
      formed,
      joinCost,
      full,
      lookups,
      maintenance,
      heal,
      simulated,
      callSetup,
      durationMs: performance.now() - started,
    };
  } finally {
    await cluster.stop();
  }
}

/** A round of lookups from every peer of a ring of `n`, as the summary shows it. */
export function summarize(
  round: { lookups: number; failures: number; hops: number[]; latenciesMs: number[]; failed: string[] },
  n: number,
): RingLookups {
  return {
    lookups: round.lookups,
    failures: round.failures,
    meanHops: mean(round.hops),
    p50Hops: percentile(round.hops, 50),
    p95Hops: percentile(round.hops, 95),
    maxHops: Math.max(...round.hops),
    bound: 0.5 * Math.log2(n) + 1,
    p50Ms: percentile(round.latenciesMs, 50),
    p95Ms: percentile(round.latenciesMs, 95),
    failed: round.failed,
  };
}

/** Calls placed through the ring, as the summary shows them. */
export function summarizeCalls(calls: CallSetupAnswer): CallSetup {
  return {
    calls: calls.calls,
    failures: calls.failures,
    p50Ms: percentile(calls.setupMs, 50),
    p95Ms: percentile(calls.setupMs, 95),
    meanHops: mean(calls.hops),
    failed: calls.failed,
  };
}

export function callsText(c: CallSetup): string {
  return (
    `${c.calls} calls: ${c.calls - c.failures} answered, setup p50 ${c.p50Ms.toFixed(1)} ms, p95 ${c.p95Ms.toFixed(1)} ms, ${c.meanHops.toFixed(1)} peers in between on average` +
    (c.failed.length > 0 ? `; e.g. ${c.failed[0]}` : '')
  );
}

export function ringText(wait: RingWait): string {
  return wait.correct
    ? `right after ${((wait.ms ?? 0) / 1000).toFixed(1)} s`
    : `NOT right (${problemText(wait)})`;
}

export function problemText(wait: RingWait): string {
  const p = wait.problems[0];
  return p
    ? `${wait.problems.length} entries wrong, first: ${p.node.slice(0, 8)} ${p.what}`
    : 'no problem listed';
}
