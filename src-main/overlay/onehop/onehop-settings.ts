/**
 * What a one-hop overlay can be tuned with. Every member should run the same values, except
 * `refreshMs`, which a joining node takes from its MemberList (the paper's RefreshRate).
 */
export interface OneHopSettings {
  /** The layer this overlay serves. Default 'identity'. */
  layer?: string;
  /** Period of the refresh: probes, gossip, replication (sent as RefreshRate in whole seconds). Default 60 s. */
  refreshMs?: number;
  /** Per-request deadline, far below SIP's 32 s Timer F. Default 2 s. */
  hopTimeoutMs?: number;
  /** Tries per request before it counts as missed (covers datagram loss). Default 2. */
  attempts?: number;
  /** Consecutive missed probes after which a member is declared failed. Default 2. */
  failures?: number;
  /** Random members probed per refresh, beside the two neighbours in id order. Default 1. */
  randomProbes?: number;
  /** A binding lives on its owner and on the next `replicas` members in id order. Default 3. */
  replicas?: number;
  /** News items carried per Gossip at most (keeps a Gossip near one UDP datagram). Default 4. */
  piggyback?: number;
  /**
   * Each piece of news is passed on in this many Gossips times log2(members + 1) (SWIM's
   * lambda log n), then dropped from the queue. Default 3.
   */
  gossipRounds?: number;
  /** Refreshes in a row with a neighbour's digest differing from mine before pulling its list. Default 3. */
  syncAfter?: number;
  /** How long Failed and Left entries are kept (so that late news cannot bring a node back). Default 20 refreshes. */
  memberTombstoneMs?: number;
  /** How many nodes a join, put or get may ask (SIP Max-Forwards). Default 70. */
  maxForwards?: number;
  /** How long a removed binding is remembered, so that a stale replica cannot bring it back. Default 24 h. */
  tombstoneMs?: number;
}

export type ResolvedOneHopSettings = Required<OneHopSettings>;

export class InvalidOneHopSettingsError extends Error {
  constructor(why: string) {
    super(`Invalid onehop settings: ${why}`);
    this.name = 'InvalidOneHopSettingsError';
  }
}

export function resolveOneHopSettings(settings: OneHopSettings = {}): ResolvedOneHopSettings {
  const refreshMs = settings.refreshMs ?? 60_000;
  const resolved: ResolvedOneHopSettings = {
    layer: settings.layer ?? 'identity',
    refreshMs,
    hopTimeoutMs: settings.hopTimeoutMs ?? 2_000,
    attempts: settings.attempts ?? 2,
    failures: settings.failures ?? 2,
    randomProbes: settings.randomProbes ?? 1,
    replicas: settings.replicas ?? 3,
    piggyback: settings.piggyback ?? 4,
    gossipRounds: settings.gossipRounds ?? 3,
    syncAfter: settings.syncAfter ?? 3,
    memberTombstoneMs: settings.memberTombstoneMs ?? 20 * refreshMs,
    maxForwards: settings.maxForwards ?? 70,
    tombstoneMs: settings.tombstoneMs ?? 86_400_000,
  };
  const whole = (name: keyof ResolvedOneHopSettings, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    const value = resolved[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidOneHopSettingsError(
        `${name} must be a whole number from ${min} to ${max}, got ${value}`,
      );
    }
  };
  whole('refreshMs', 1);
  whole('hopTimeoutMs', 1);
  whole('attempts', 1, 10);
  whole('failures', 1, 100);
  whole('randomProbes', 0, 16);
  whole('replicas', 0, 16);
  whole('piggyback', 0, 64);
  whole('gossipRounds', 1, 16);
  whole('syncAfter', 1, 1000);
  whole('memberTombstoneMs', 0);
  whole('maxForwards', 1, 255);
  whole('tombstoneMs', 0);
  return resolved;
}
