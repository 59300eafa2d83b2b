import type { Prng } from '../../src-main/overlay/sim/prng.ts';
import { waitForRing } from './grow-ring.ts';
import type { RingCluster, RingMember } from './ring-cluster.ts';
import type { RegistrationAnswer } from './ring-protocol.ts';

export interface HealResult {
  /** The refresh period the ring ran with (the lab's default for this many peers). */
  refreshMs: number;
  killed: number;
  survivors: number;
  /** The most victims side by side in the ring (r = 4 successors cover 3). */
  longestRun: number;
  timeoutMs: number;
  /** From the kill until every predecessor and successor list was right. */
  linksMs: number | null;
  /** From the kill until a round of lookups from every survivor all found the right owner. */
  lookupsRightMs: number | null;
  /** From the kill until every table was right and a full round of lookups confirmed it. */
  healedMs: number | null;
  /** Table entries still wrong when the wait gave up (0 when healed). */
  problemsLeft: number;
  /** Every survivor's registration, fetched by another survivor after the heal (or the timeout). */
  registrations: RegistrationAnswer;
}

/**
 * Kills whole peer hosts with SIGKILL (half the peers, all at once, telling no one), then reads
 * every survivor's tables each second until the ring is exactly right again, as `chordline lab`
 * does. Once every predecessor and successor list is right, each check also runs a round of
 * lookups from every survivor (`perPeer` random keys each) until one round finds every owner;
 * once every table is right, a last round confirms the heal. Then every survivor's registration
 * is fetched from another survivor.
 */
export async function killAndHeal(
  cluster: RingCluster,
  hosts: number[],
  options: { refreshMs: number; timeoutMs: number; perPeer: number; seed: number; prng: Prng },
): Promise<HealResult> {
  const before = cluster.up();
  const started = performance.now();
  const victims = cluster.kill(hosts);
  const result: HealResult = {
    refreshMs: options.refreshMs,
    killed: victims.length,
    survivors: cluster.up().length,
    longestRun: longestRun(before, new Set(victims)),
    timeoutMs: options.timeoutMs,
    linksMs: null,
    lookupsRightMs: null,
    healedMs: null,
    problemsLeft: 0,
    registrations: { checked: 0, found: 0, missing: [], latenciesMs: [] },
  };
  let seed = options.seed;
  const lookupsPass = async (perPeer: number): Promise<number | null> => {
    const roundStarted = performance.now();
    const round = await cluster.lookups(perPeer, seed++, { parallel: true, stopAtFirstFailure: true });
    return round.failures === 0 ? roundStarted - started : null;
  };
  const wait = await waitForRing(cluster, options.timeoutMs, async (problems, elapsed) => {
    const linksRight = problems.every((p) => p.what.startsWith('finger'));
    if (linksRight && result.linksMs === null) result.linksMs = elapsed;
    if (linksRight && result.lookupsRightMs === null) result.lookupsRightMs = await lookupsPass(2);
    if (problems.length > 0) return false;
    result.healedMs = await lookupsPass(options.perPeer);
    return result.healedMs !== null;
  });
  result.problemsLeft = wait.problems.length;
  result.registrations = await cluster.registrations(options.prng);
  return result;
}

/** The longest run of victims side by side in ring order (the ring wraps round). */
function longestRun(members: readonly RingMember[], victims: ReadonlySet<RingMember>): number {
  const ring = [...members].sort((a, b) => (a.ref!.id < b.ref!.id ? -1 : 1));
  let best = 0;
  let run = 0;
  for (let k = 0; k < 2 * ring.length; k++) {
    run = victims.has(ring[k % ring.length]) ? run + 1 : 0;
    best = Math.max(best, Math.min(run, ring.length));
  }
  return best;
}
