import { percentile } from '../../src-main/app/lab/index.ts';
import type { Prng } from '../../src-main/overlay/sim/prng.ts';
import { sleep } from '../ring/grow-ring.ts';
import type { RingCluster } from '../ring/ring-cluster.ts';
import type { PeerSwitchStatus } from '../ring/ring-protocol.ts';

/** How often the bench asks every peer where it stands while a switch runs. */
const POLL_MS = 250;

/** One switch of the identity layer's algorithm at every peer of the cluster. */
export interface SwitchTime {
  from: string;
  to: string;
  epoch: number;
  peers: number;
  /** The peer the announcement named as seed and was handed to. */
  seed: string;
  /** The layer's refresh period: the switch waits in periods of it. */
  refreshMs: number;
  /** The RetireAfter asked for (a switch protocol without it retires after its own grace). */
  retireAfterMs: number;
  /** Why the seed refused the announcement, if it did. */
  refused?: string;
  /** From the announcement until every peer had accepted it (the flood's reach; phase `joining`). */
  heardMs: number | null;
  /** … until every peer had joined the new overlay (phase `checking`). */
  joinedMs: number | null;
  /** … until every peer asked the new overlay first (phase `moved`). */
  movedMs: number | null;
  /** … until every peer was done: back to `steady` with a `done` entry for this epoch. */
  doneMs: number | null;
  /** The median peer's `done`. */
  p50DoneMs: number | null;
  done: number;
  aborted: number;
  /** Peers neither done nor aborted when the wait ended. */
  pending: number;
  timeoutMs: number;
  /** SIP requests and datagram payload bytes sent per peer from the announcement to the end, background included. */
  requestsPerPeer: number;
  bytesSentPerPeer: number;
  /** The first few things that went wrong, as sentences. */
  failed: string[];
}

/**
 * Switches the identity layer of every live peer to `to`, as an operator does (docs/PROTOCOL.md
 * section 10): the login server's CA signs a SwitchLayer naming a random live peer as seed, that
 * peer gets it as from the operator's tool on its machine, and it floods over the old overlay.
 * Every peer's progress is read from its IdentityLayer (phase and switch news) until each is back
 * to `steady` with this epoch `done` (or aborted), or `timeoutMs` passed. Times are the peers' own
 * Date.now() at each phase change (every process on one machine reads the same clock) less the
 * parent's just before it handed the announcement over.
 */
export async function measureSwitch(
  cluster: RingCluster,
  options: {
    to: string;
    epoch: number;
    refreshMs: number;
    retireAfterMs: number;
    timeoutMs: number;
    prng: Prng;
  },
): Promise<SwitchTime> {
  const up = cluster.up();
  const seed = up[options.prng.below(up.length)];
  const announcement = await cluster.switchAnnouncement({
    layer: 'identity',
    algorithm: options.to,
    epoch: options.epoch,
    seed: seed.ref!,
    retireAfterMs: options.retireAfterMs,
  });
  const result: SwitchTime = {
    from: cluster.algorithm,
    to: options.to,
    epoch: options.epoch,
    peers: up.length,
    seed: seed.name,
    refreshMs: options.refreshMs,
    retireAfterMs: options.retireAfterMs,
    heardMs: null,
    joinedMs: null,
    movedMs: null,
    doneMs: null,
    p50DoneMs: null,
    done: 0,
    aborted: 0,
    pending: up.length,
    timeoutMs: options.timeoutMs,
    requestsPerPeer: NaN,
    bytesSentPerPeer: NaN,
    failed: [],
  };
  const before = await cluster.traffic();
  const announcedAt = Date.now();
  const reply = await cluster.announce(seed, announcement);
  if (!reply.ok) {
    result.refused = `${reply.status} ${reply.reason}`;
    result.failed.push(`the seed ${seed.name} refused the announcement: ${result.refused}`);
    return result;
  }

  let statuses: PeerSwitchStatus[] = [];
  const finished = (s: PeerSwitchStatus) =>
    s.outcome === 'aborted' || (s.outcome === 'done' && s.phase === 'steady');
  for (;;) {
    statuses = await cluster.switchStatus(options.epoch, announcedAt);
    if (statuses.every(finished) || Date.now() - announcedAt >= options.timeoutMs) break;
    await sleep(POLL_MS);
  }
  const after = await cluster.traffic();
  result.requestsPerPeer = (after.requests - before.requests) / up.length;
  result.bytesSentPerPeer = (after.bytesSent - before.bytesSent) / up.length;

  const isDone = (s: PeerSwitchStatus) => s.outcome === 'done' && s.phase === 'steady';
  result.done = statuses.filter(isDone).length;
  result.aborted = statuses.filter((s) => s.outcome === 'aborted').length;
  result.pending = statuses.length - result.done - result.aborted;
  const latest = (times: Array<number | undefined>) =>
    times.every((t) => t !== undefined) ? Math.max(...(times as number[])) - announcedAt : null;
  result.heardMs = latest(statuses.map((s) => s.heardAt));
  result.joinedMs = latest(statuses.map((s) => s.joinedAt));
  result.movedMs = latest(statuses.map((s) => s.movedAt));
  if (result.done === statuses.length) {
    result.doneMs = latest(statuses.map((s) => s.steadyAt));
    result.p50DoneMs = percentile(
      statuses.map((s) => s.steadyAt! - announcedAt),
      50,
    );
  }
  for (const s of statuses.filter((s) => s.outcome === 'aborted').slice(0, 3))
    result.failed.push(`${s.name} aborted: ${s.reason ?? 'no reason given'}`);
  const behind = statuses.filter((s) => !finished(s));
  if (behind.length > 0) {
    const phases = new Map<string, number>();
    for (const s of behind) {
      const key = `${s.phase} on ${s.algorithm}`;
      phases.set(key, (phases.get(key) ?? 0) + 1);
    }
    result.failed.push(
      `${behind.length} of ${statuses.length} peers not done after ${(options.timeoutMs / 1000).toFixed(0)} s: ` +
        [...phases].map(([where, n]) => `${n} ${where}`).join(', ') +
        ` (e.g. ${behind
          .slice(0, 3)
          .map((s) => s.name)
          .join(', ')})`,
    );
  }
  return result;
}
