import type { Prng } from '../../src-main/overlay/sim/prng.ts';
import { sleep } from './grow-ring.ts';
import type { RingCluster, RingMember } from './ring-cluster.ts';
import type { TrafficReading } from './ring-protocol.ts';

export interface BackgroundRate {
  seconds: number;
  /** SIP requests per second, all peers together (client transactions). */
  requestsPerSecond: number;
  /** Datagrams sent per second (requests, responses, retransmissions). */
  datagramsPerSecond: number;
  /** Datagram payload bytes sent per second, all peers together. */
  bytesSentPerSecond: number;
  /** Payload bytes per second and per peer, as each peer sent and received them. */
  bytesSentPerPeerPerSecond: number;
  bytesReceivedPerPeerPerSecond: number;
  peers: number;
}

export interface JoinCost {
  /** Peers in the ring before the first measured join. */
  ringSize: number;
  joins: number;
  /** Time between two joins (half a refresh period). */
  spacingMs: number;
  /** The idle ring's own traffic, over one window just before the joins. */
  background: BackgroundRate;
  /** The window the joins ran in, from the first join's first message (as long as the background's). */
  windowMs: number;
  /** SIP requests the joins caused (all peers' requests in the window, less the background), per join. */
  requestsPerJoin: number;
  datagramsPerJoin: number;
  /** Datagram payload bytes the joins caused (sent by every peer, less the background), per join. */
  bytesPerJoin: number;
  /**
   * The same three, less also the newcomers' own background: from its join to the window's end,
   * each newcomer refreshes like every other peer, which the counts above charge to its join (at
   * a short refresh period that is most of them). Estimated at the idle ring's rate per peer.
   */
  net: { requestsPerJoin: number; datagramsPerJoin: number; bytesPerJoin: number };
  /** The paper's O(log² N) for N = ring size + joins: log2(N)². */
  logSquared: number;
}

/**
 * Messages per join (Chord: O(log² N)). The ring is idle (every table right), so whatever the
 * peers send beyond their background is the joins' doing: the join itself (BootstrapRegRequest
 * and its forwards, the successor's Notify and handover, a lookup per distinct finger, the
 * UpdateFingers of update_others, the replicas), the first binding's put and its replicas, and the
 * stabilize and finger fixes the newcomers cause at others afterwards.
 *
 * Two windows of the same length `windowMs`, one binding-refresh period (60 s): the idle ring
 * just before, then the joins, `spacingMs` apart from the window's start, and the ring settling
 * until the window ends (at least two refresh periods after the last join). Each peer re-registers
 * its binding exactly once in either window: the peers joined one after another within a minute,
 * so their re-registrations are not spread evenly, and windows of other lengths would count more
 * or fewer of them than the background. Requests per join = (requests in the joins' window −
 * requests in the idle window, scaled to the same length) / joins.
 */
export async function measureJoinCost(
  cluster: RingCluster,
  joiners: readonly RingMember[],
  options: { periodMs: number; windowMs: number; prng: Prng; log: (line: string) => void },
): Promise<JoinCost> {
  const { periodMs, windowMs } = options;
  const spacingMs = periodMs / 2;
  if ((joiners.length - 1) * spacingMs + 2 * periodMs > windowMs)
    throw new RangeError(`${joiners.length} joins do not fit a window of ${windowMs / 1000} s`);
  const ringSize = cluster.up().length;
  // Every joiner logs in first: a login is the login server's traffic, not the ring's, and a
  // logged-in peer fetches the revocation list every minute in both windows alike.
  for (const joiner of joiners) await cluster.login(joiner);
  const rate = await background(cluster, windowMs);
  options.log(
    `      idle ring of ${ringSize}: ${rate.requestsPerSecond.toFixed(1)} requests/s (${rate.seconds.toFixed(0)} s)`,
  );
  const from = await stamp(cluster);
  const joinedAt: number[] = [];
  for (const [i, joiner] of joiners.entries()) {
    await sleep(Math.max(0, from.at + i * spacingMs - performance.now()));
    await cluster.join(joiner, cluster.bootstrapFor(options.prng));
    joinedAt.push(performance.now());
  }
  await sleep(Math.max(0, from.at + windowMs - performance.now()));
  const to = await stamp(cluster);
  const ms = to.at - from.at;
  const excess = (count: number, perSecond: number) => count - (perSecond * ms) / 1000;
  const requests = excess(to.traffic.requests - from.traffic.requests, rate.requestsPerSecond);
  const datagrams = excess(to.traffic.sent - from.traffic.sent, rate.datagramsPerSecond);
  const bytes = excess(to.traffic.bytesSent - from.traffic.bytesSent, rate.bytesSentPerSecond);
  // Seconds the newcomers spent in the ring within the window, times the idle rate of one peer.
  const newcomerSeconds = joinedAt.reduce((sum, at) => sum + (to.at - at) / 1000, 0);
  const own = (perSecond: number) => (perSecond / ringSize) * newcomerSeconds;
  const perJoin = (n: number) => n / joiners.length;
  return {
    ringSize,
    joins: joiners.length,
    spacingMs,
    background: rate,
    windowMs: ms,
    requestsPerJoin: requests / joiners.length,
    datagramsPerJoin: datagrams / joiners.length,
    bytesPerJoin: bytes / joiners.length,
    net: {
      requestsPerJoin: perJoin(requests - own(rate.requestsPerSecond)),
      datagramsPerJoin: perJoin(datagrams - own(rate.datagramsPerSecond)),
      bytesPerJoin: perJoin(bytes - own(rate.bytesSentPerSecond)),
    },
    logSquared: Math.log2(ringSize + joiners.length) ** 2,
  };
}

async function stamp(cluster: RingCluster): Promise<{ at: number; traffic: TrafficReading }> {
  const traffic = await cluster.traffic();
  return { at: performance.now(), traffic };
}

/** The ring's traffic while nothing happens but its refreshes, over `ms`. */
export async function background(cluster: RingCluster, ms: number): Promise<BackgroundRate> {
  const a = await stamp(cluster);
  await sleep(ms);
  const b = await stamp(cluster);
  const seconds = (b.at - a.at) / 1000;
  const peers = b.traffic.peers;
  return {
    seconds,
    peers,
    requestsPerSecond: (b.traffic.requests - a.traffic.requests) / seconds,
    datagramsPerSecond: (b.traffic.sent - a.traffic.sent) / seconds,
    bytesSentPerSecond: (b.traffic.bytesSent - a.traffic.bytesSent) / seconds,
    bytesSentPerPeerPerSecond: (b.traffic.bytesSent - a.traffic.bytesSent) / seconds / peers,
    bytesReceivedPerPeerPerSecond: (b.traffic.bytesReceived - a.traffic.bytesReceived) / seconds / peers,
  };
}
