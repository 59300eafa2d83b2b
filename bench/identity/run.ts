import { isInterrupted } from '../worker-host.ts';
import type { RingWait } from '../ring/grow-ring.ts';
import type { JoinCost } from '../ring/join-cost.ts';
import type { RingLookups } from '../ring/run.ts';
import type { SteadyNumbers } from './measure-algorithm.ts';
import type { MemberListSize } from './member-list-size.ts';
import { measureSize } from './measure-size.ts';
import type { SwitchTime } from './switch-time.ts';

/** The sizes compared: a small office, a company floor, the ring benchmark's 200. */
export const IDENTITY_SIZES = [20, 100, 200] as const;
export const QUICK_IDENTITY_SIZES = [20, 50] as const;

export interface IdentityBenchOptions {
  /** Sizes 20 and 50, shorter windows, fewer lookups and calls (a smoke run: rough numbers). */
  quick: boolean;
  /** Fixes the join order, bootstrap choices, the keys looked up and the switch seeds. */
  seed?: number;
  /** Sizes to run instead of the default ones. */
  sizes?: readonly number[];
  log: (line: string) => void;
}

/** One algorithm on the peers of one size, once its tables were right. */
export interface AlgorithmAtSize extends SteadyNumbers {
  algorithm: string;
  /** The wait, before measuring, until every peer's tables were what the live NodeIDs say. */
  settled: RingWait;
  /** Joins into this algorithm's idle overlay of N − joins peers. */
  joinCost: JoinCost;
  /**
   * Measured on a network of fresh peers that ran this algorithm from the start, because the
   * switch to it did not finish on the first one.
   */
  freshPeers: boolean;
}

export interface IdentitySize {
  peers: number;
  hosts: number;
  /** Both algorithms' refresh period and hop timeout: `chordline lab`'s defaults for this many peers. */
  refreshMs: number;
  hopTimeoutMs: number;
  /** A real network's refresh period (both algorithms' default), used for the maintenance window. */
  defaultRefreshMs: number;
  measuredJoins: number;
  keysMs: number;
  /** The chord ring of N − joins peers, grown one join after another. */
  formed: RingWait | null;
  /** When the switch to onehop did not finish: the onehop overlay of N − joins fresh peers. */
  formedOnehop: RingWait | null;
  chord: AlgorithmAtSize | null;
  onehop: AlgorithmAtSize | null;
  /** One onehop peer's whole table on the wire. */
  memberList: MemberListSize | null;
  toOnehop: SwitchTime | null;
  toChord: SwitchTime | null;
  /** After the switch to chord: the wait until every chord table was right, and a round of lookups. */
  chordAgain: RingWait | null;
  lookupsAgain: RingLookups | null;
  /** What stopped this size early or went wrong, as sentences. */
  problems: string[];
  durationMs: number;
}

export interface IdentityRun {
  seed: number;
  quick: boolean;
  sizes: IdentitySize[];
  durationMs: number;
}

/**
 * The identity layer's two algorithms side by side on the same real peers (`chordline bench
 * identity`, issue 6), at each size N: peer hosts, real UDP SIP peers and a real login server as
 * in the ring benchmark (bench/ring).
 *
 *   N − j peers join chord one after another → ring right
 *     → chord: j measured joins (messages and bytes per join) → lookups, binding fetches,
 *       calls → idle traffic at 60 s refresh
 *     → switch chord → onehop (CA-signed SwitchLayer, flooded): time until every peer is done
 *     → onehop: member tables right → the same measurements, and the MemberList's size
 *     → j peers leave gracefully, j others make the measured joins into onehop
 *     → switch onehop → chord → chord ring right again, a round of lookups
 *
 * When the switch to onehop does not finish, onehop is measured on fresh peers of the same size
 * that run it from the start (N − j join onehop, j measured joins), and the switch back to chord
 * is tried from there: each algorithm's numbers do not depend on the switch working.
 */
export async function identityBench(options: IdentityBenchOptions): Promise<IdentityRun> {
  const started = performance.now();
  const seed = options.seed ?? Math.floor(Math.random() * 1_000_000);
  const sizes = options.sizes ?? (options.quick ? QUICK_IDENTITY_SIZES : IDENTITY_SIZES);
  const run: IdentityRun = { seed, quick: options.quick, sizes: [], durationMs: 0 };
  for (const peers of sizes) {
    run.sizes.push(await measureSize(peers, seed, options));
    if (isInterrupted()) break;
  }
  run.durationMs = performance.now() - started;
  return run;
}
