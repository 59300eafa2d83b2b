import { background } from './join-cost.ts';
import type { BackgroundRate } from './join-cost.ts';
import { sleep } from './grow-ring.ts';
import type { RingCluster } from './ring-cluster.ts';

export interface Maintenance extends BackgroundRate {
  /** The refresh period in force during the window. */
  refreshMs: number;
  /** Of the bytes per peer and second, those to and from the login server (the revocation list). */
  loginServerBytesPerPeerPerSecond: number;
}

/**
 * What an idle peer costs the network at a real ring's refresh period: every peer's Chord refresh
 * is stretched from the ring's short period to `refreshMs` (stretchable-timers.ts), and the
 * peers' datagram bytes are read over `seconds`. The binding and the revocation list are
 * refreshed every login-server RefreshRate (60 s by default) throughout. With `seconds` equal to
 * the period, the window holds exactly one refresh of each kind per peer, at whatever phase each
 * peer's timers happen to be. The ring's own period is restored afterwards.
 */
export async function measureMaintenance(
  cluster: RingCluster,
  options: { ringRefreshMs: number; refreshMs: number; seconds: number },
): Promise<Maintenance> {
  await cluster.stretchRefresh(options.refreshMs / options.ringRefreshMs);
  try {
    // A refresh that started just before the switch finishes first.
    await sleep(2_000);
    const lsBefore = await cluster.loginServerTraffic();
    const rate = await background(cluster, options.seconds * 1000);
    const lsAfter = await cluster.loginServerTraffic();
    const lsBytes = lsAfter.bytesSent - lsBefore.bytesSent + (lsAfter.bytesReceived - lsBefore.bytesReceived);
    return {
      ...rate,
      refreshMs: options.refreshMs,
      loginServerBytesPerPeerPerSecond: lsBytes / rate.seconds / rate.peers,
    };
  } finally {
    await cluster.stretchRefresh(1);
  }
}
