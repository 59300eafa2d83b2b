import type { RingProblem } from '../../overlay/chord/index.ts';
import type { Prng } from '../../overlay/sim/prng.ts';
import { checkRegistrations } from './check-registrations.ts';
import type { RegistrationCheck } from './check-registrations.ts';
import type { JoinedMember, LabNetwork } from './lab-network.ts';
import { measureLookups } from './measure-lookups.ts';
import type { LookupRound } from './measure-lookups.ts';
import { waitForRing } from './wait-for-ring.ts';
import { pause } from './wait-until.ts';

export type ChurnKind = 'leave' | 'kill';

/** What happened when some peers went away, and how the others coped. */
export interface ChurnResult {
  how: ChurnKind;
  /** The peers that left or were killed. */
  peers: string[];
  /** The most of them that stood next to one another in the ring (r or more in a row is beyond what the successor lists cover). */
  longestRun: number;
  /** How long the leaves themselves took (0 for a kill). */
  actionMs: number;
  healed: boolean;
  /** From the first leave or kill until the ring checked correct again (then confirmed by a full round of lookups). */
  healMs: number | null;
  /**
   * From the first leave or kill until every predecessor and successor list was right (fingers
   * may still point at departed nodes: lookups take detours but find their owner).
   */
  linksMs: number | null;
  /** Rounds of lookups tried once the ring looked right; more than 1 means a round found a wrong owner. */
  rounds: number;
  /** What was still wrong with the ring when the wait gave up. */
  ringProblems: RingProblem[];
  /** The confirming round (every survivor, every key), or the last failed one. */
  lookups: LookupRound | null;
  /** The survivors' registrations; null when the ring did not heal (not checked). */
  registrations: RegistrationCheck | null;
}

export interface ChurnOptions {
  prng: Prng;
  perNode: number;
  healTimeoutMs: number;
  signal?: AbortSignal;
  /** Leaves done so far. */
  onProgress?: (done: number, total: number) => void;
  /** The peers are gone (left or killed); the wait for the heal starts. */
  onGone?: (result: Readonly<ChurnResult>) => void;
  /** Still waiting for the heal, this long since the peers went. */
  onWaiting?: (elapsedMs: number) => void;
}

/**
 * Takes `count` random peers out of the ring (gracefully, one after another, or all at once with
 * no warning), then measures how long until the survivors' ring is exactly right again and every
 * lookup from every survivor finds the right owner, bounded by `healTimeoutMs`; then checks that
 * every survivor's registration is still found.
 */
export async function churn(
  network: LabNetwork,
  how: ChurnKind,
  count: number,
  options: ChurnOptions,
): Promise<ChurnResult> {
  const before = network.up();
  const victims = options.prng.shuffle(before).slice(0, count);
  const result: ChurnResult = {
    how,
    peers: victims.map((v) => v.name),
    longestRun: longestRun(before, new Set(victims)),
    actionMs: 0,
    healed: false,
    healMs: null,
    linksMs: null,
    rounds: 0,
    ringProblems: [],
    lookups: null,
    registrations: null,
  };
  const started = performance.now();
  if (how === 'leave') {
    for (const [i, victim] of victims.entries()) {
      await network.leave(victim);
      options.onProgress?.(i + 1, victims.length);
    }
    result.actionMs = performance.now() - started;
  } else {
    for (const victim of victims) network.kill(victim);
  }
  options.onGone?.(result);
  const survivors = network.up();
  const deadline = started + options.healTimeoutMs;
  for (;;) {
    const ring = await waitForRing(network, survivors, {
      timeoutMs: Math.max(0, deadline - performance.now()),
      signal: options.signal,
      onCheck: (problems) => {
        options.onWaiting?.(performance.now() - started);
        if (result.linksMs === null && problems.every((p) => p.what.startsWith('finger')))
          result.linksMs = performance.now() - started;
      },
    });
    if (!ring.correct) {
      result.ringProblems = ring.problems;
      break;
    }
    const roundStarted = performance.now();
    const round = await measureLookups(survivors, {
      perNode: options.perNode,
      prng: options.prng,
      stopAtFirstFailure: true,
      signal: options.signal,
    });
    result.rounds++;
    result.lookups = round;
    if (round.failures === 0) {
      result.healed = true;
      result.healMs = roundStarted - started;
      break;
    }
    if (performance.now() >= deadline) break;
    await pause(Math.min(250, deadline - performance.now()), options.signal);
  }
  if (result.healed) result.registrations = await checkRegistrations(survivors, options);
  return result;
}

/** The longest run of consecutive victims in ring order (the ring wraps round). */
function longestRun(members: readonly JoinedMember[], victims: ReadonlySet<JoinedMember>): number {
  if (victims.size === members.length) return victims.size;
  const ring = [...members].sort((a, b) => (a.overlay.self.id < b.overlay.self.id ? -1 : 1));
  const start = ring.findIndex((m) => !victims.has(m));
  let best = 0;
  let run = 0;
  for (let k = 1; k <= ring.length; k++) {
    run = victims.has(ring[(start + k) % ring.length]) ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}
