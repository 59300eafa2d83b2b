/**
 * What a Chord ring can be tuned with. Every node of a ring should run the same values, except
 * `refreshMs`, which a joining node takes from its BootstrapOK (the paper's RefreshRate).
 */
export interface ChordSettings {
  /** The layer this ring serves. Default 'identity' (the paper's user identity overlay). */
  layer?: string;
  /** r, the length of the successor list: the ring survives r - 1 neighbours dying at once. Default 4. */
  successors?: number;
  /**
   * How many fingers a node keeps: the farthest ones (finger 160 down to 161 - fingers), since in
   * a ring of far fewer than 2^160 nodes the near fingers are all the successor. Default 160.
   */
  fingers?: number;
  /**
   * Period of the refresh that doubles as stabilization (the paper's RefreshRate; sent in
   * BootstrapOK in whole seconds). Default 60 s.
   */
  refreshMs?: number;
  /** Per-hop deadline of every request, far below SIP's 32 s Timer F. Default 2 s. */
  hopTimeoutMs?: number;
  /** Tries per request before a hop counts as missed (covers datagram loss). Default 2. */
  attempts?: number;
  /** Consecutive missed refreshes after which a neighbour is declared dead. Default 2. */
  failures?: number;
  /**
   * k: a binding lives on its owner and the owner's next k successors. Default r - 1 (3), so that
   * no binding is lost while fewer than r consecutive nodes die at once. At most r.
   */
  replicas?: number;
  /** Fingers checked per refresh (each costs one request; fingers that equal the previous are free). Default 4. */
  fingersPerRefresh?: number;
  /** How many nodes a join or lookup may ask (SIP Max-Forwards). Default 70. */
  maxForwards?: number;
  /** How long a removed binding is remembered, so that a stale replica cannot bring it back. Default 24 h. */
  tombstoneMs?: number;
}

export type ResolvedChordSettings = Required<ChordSettings>;

export class InvalidChordSettingsError extends Error {
  constructor(why: string) {
    super(`Invalid Chord settings: ${why}`);
    this.name = 'InvalidChordSettingsError';
  }
}

export function resolveChordSettings(settings: ChordSettings = {}): ResolvedChordSettings {
  const successors = settings.successors ?? 4;
  const resolved: ResolvedChordSettings = {
    layer: settings.layer ?? 'identity',
    successors,
    fingers: settings.fingers ?? 160,
    refreshMs: settings.refreshMs ?? 60_000,
    hopTimeoutMs: settings.hopTimeoutMs ?? 2_000,
    attempts: settings.attempts ?? 2,
    failures: settings.failures ?? 2,
    replicas: settings.replicas ?? Math.max(1, successors - 1),
    fingersPerRefresh: settings.fingersPerRefresh ?? 4,
    maxForwards: settings.maxForwards ?? 70,
    tombstoneMs: settings.tombstoneMs ?? 86_400_000,
  };
  const whole = (name: keyof ResolvedChordSettings, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    const value = resolved[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidChordSettingsError(
        `${name} must be a whole number from ${min} to ${max}, got ${value}`,
      );
    }
  };
  whole('successors', 1, 32);
  whole('fingers', 1, 160);
  whole('refreshMs', 1);
  whole('hopTimeoutMs', 1);
  whole('attempts', 1, 10);
  whole('failures', 1, 100);
  whole('replicas', 0, successors);
  whole('fingersPerRefresh', 0, 160);
  whole('maxForwards', 1, 255);
  whole('tombstoneMs', 0);
  return resolved;
}
