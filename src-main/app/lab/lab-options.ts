import { InvalidLabOptionsError } from './lab-errors.ts';
import { parseSwitchSpec } from './switch-round.ts';

/** What a lab run is asked to do (`chordline lab`, or the benchmark calling runLab). */
export interface LabOptions {
  /** How many peers join the ring. */
  peers: number;
  /** Peers stopped with no warning after the ring is checked (a crash, kill -9). Default 0. */
  kill?: number;
  /** Peers that leave gracefully first (before any kill). Default 0. */
  leave?: number;
  /** Calls between random pairs once the ring formed, and again after a kill. Default 10. */
  calls?: number;
  /** Random keys looked up from every node in each round. Default 20. */
  lookups?: number;
  /** Fixes the join order, the keys, who is asked and who is killed. Default: a random seed. */
  seed?: number;
  /**
   * Chord's refresh period in the lab. A real ring refreshes every 60 s; a lab scales it down so
   * that failures are noticed in seconds. Default 1 s per 30 peers (1 s up to 30, 4 s for 100):
   * each refresh costs a node about six signed requests, some 1.3 ms of CPU per message, and
   * every peer shares this one process, which saturates near 100 peers at 1 s. Whole seconds
   * travel in BootstrapOK, so values below 1000 would hold for the first node only.
   */
  refreshMs?: number;
  /** Per-hop deadline. Default 500 ms (SIP's own Timer F is 32 s). */
  hopTimeoutMs?: number;
  /** Bound on the wait for the ring to form after the last join. Default 30 s + 0.5 s a peer. */
  formTimeoutMs?: number;
  /** Bound on the wait for the ring to heal after a leave or a kill. Default 60 s, or 20 refresh periods if longer. */
  healTimeoutMs?: number;
  /** Key pairs generated at once. Default 4 (libuv's thread pool). */
  keyParallelism?: number;
  /**
   * Layer switches done one after another once the rest has run, each `LAYER=ALGORITHM`
   * (`identity=onehop`, then `identity=chord` to come back). Default none.
   */
  switch?: string[];
  /** Bound on one switch, from the announcement until every peer runs the new algorithm alone. Default 60 s. */
  switchTimeoutMs?: number;
  /** Peers that look bindings up without pause (50 ms apart) while a switch runs. Default 5. */
  switchAskers?: number;
}

export type ResolvedLabOptions = Required<LabOptions>;

export const MAX_LAB_PEERS = 500;
const PEERS_PER_REFRESH_SECOND = 30;

export function resolveLabOptions(options: LabOptions): ResolvedLabOptions {
  const refreshMs =
    options.refreshMs ?? 1000 * Math.max(1, Math.ceil(options.peers / PEERS_PER_REFRESH_SECOND));
  const resolved: ResolvedLabOptions = {
    peers: options.peers,
    kill: options.kill ?? 0,
    leave: options.leave ?? 0,
    calls: options.calls ?? 10,
    lookups: options.lookups ?? 20,
    seed: options.seed ?? Math.floor(Math.random() * 1_000_000),
    refreshMs,
    hopTimeoutMs: options.hopTimeoutMs ?? 500,
    formTimeoutMs: options.formTimeoutMs ?? 30_000 + 500 * options.peers,
    healTimeoutMs: options.healTimeoutMs ?? Math.max(60_000, 20 * refreshMs),
    keyParallelism: options.keyParallelism ?? 4,
    switch: options.switch ?? [],
    switchTimeoutMs: options.switchTimeoutMs ?? Math.max(60_000, 30 * refreshMs),
    switchAskers: options.switchAskers ?? 5,
  };
  for (const spec of resolved.switch) parseSwitchSpec(spec);
  const whole = (flag: string, value: number, min: number, max: number): void => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new InvalidLabOptionsError(`${flag} wants a whole number from ${min} to ${max}, not ${value}`);
  };
  whole('--peers', resolved.peers, 2, MAX_LAB_PEERS);
  whole('--kill', resolved.kill, 0, resolved.peers);
  whole('--leave', resolved.leave, 0, resolved.peers);
  whole('--lookups', resolved.lookups, 1, 10_000);
  whole('--calls', resolved.calls, 0, 10_000);
  whole('--seed', resolved.seed, 0, 2 ** 32 - 1);
  whole('refreshMs', resolved.refreshMs, 100, 600_000);
  whole('hopTimeoutMs', resolved.hopTimeoutMs, 10, 60_000);
  whole('formTimeoutMs', resolved.formTimeoutMs, 1, 3_600_000);
  whole('healTimeoutMs', resolved.healTimeoutMs, 1, 3_600_000);
  whole('keyParallelism', resolved.keyParallelism, 1, 64);
  whole('switchAskers', resolved.switchAskers, 1, resolved.peers);
  const survivors = resolved.peers - resolved.kill - resolved.leave;
  if (survivors < 2) {
    const asked = [
      resolved.leave > 0 ? `--leave ${resolved.leave}` : '',
      resolved.kill > 0 ? `--kill ${resolved.kill}` : '',
    ].filter(Boolean);
    throw new InvalidLabOptionsError(
      `${asked.join(' with ')} would leave ${Math.max(0, survivors)} of ${resolved.peers} peers; keep at least 2 to check the ring`,
    );
  }
  return resolved;
}
