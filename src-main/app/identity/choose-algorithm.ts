/**
 * The identity layer's algorithm, chosen by the network itself (issue 6): one-hop while the
 * network is small and calm (every peer knows every peer: one hop per lookup, but every join and
 * leave is news to all N), Chord once it is large or churning (O(log N) state and hops, a join
 * touches O(log² N) peers), or once many of its devices are mobile or short of bandwidth (the
 * device layer says so; one-hop would have each of them carry every member and every change).
 * Hysteresis keeps it from flapping around a threshold:
 *
 * ```
 *          peers ≥ growAt, or churn ≥ churnAt, or constrained ≥ constrainedAt
 *        onehop ─────────────────────────────────────────────────────────▶ chord
 *           ▲                                                                │
 *           └────────────────────────────────────────────────────────────────┘
 *          peers ≤ shrinkAt, churn < churnAt / 2, constrained < constrainedAt / 2
 *
 *   and never within `dwellMs` of the last switch.
 * ```
 */
export interface AlgorithmPolicy {
  /** At or above this many peers, Chord. Default 120. */
  growAt: number;
  /** At or below this many peers (and calm), one-hop. Default 80. */
  shrinkAt: number;
  /** Joins and leaves per peer per hour at or above which Chord wins whatever the size. Default 4. */
  churnAt: number;
  /** Share of constrained devices (device-profile.ts) at or above which Chord wins. Default 0.25. */
  constrainedAt: number;
  /** Least time between two switches. Default one hour. */
  dwellMs: number;
}

export const DEFAULT_POLICY: AlgorithmPolicy = {
  growAt: 120,
  shrinkAt: 80,
  churnAt: 4,
  constrainedAt: 0.25,
  dwellMs: 3_600_000,
};

/** What the operator's peer sees of the network. */
export interface NetworkShape {
  /** The identity layer's algorithm now. */
  algorithm: string;
  /** Estimated peers in the network (size-estimate.ts). */
  peers: number;
  /** Joins and leaves per peer per hour, lately. */
  churn: number;
  /** Share (0 to 1) of the devices the device layer describes as mobile or short of bandwidth. */
  constrained: number;
  /** Milliseconds since the last switch (Infinity: never). */
  sinceSwitchMs: number;
}

export class InvalidPolicyError extends Error {
  constructor(why: string) {
    super(`Invalid algorithm policy: ${why}`);
    this.name = 'InvalidPolicyError';
  }
}

export function checkPolicy(policy: AlgorithmPolicy): AlgorithmPolicy {
  const { growAt, shrinkAt, churnAt, constrainedAt, dwellMs } = policy;
  if (!(Number.isInteger(shrinkAt) && shrinkAt >= 1))
    throw new InvalidPolicyError('shrinkAt must be a whole number ≥ 1');
  if (!(Number.isInteger(growAt) && growAt > shrinkAt))
    throw new InvalidPolicyError(`growAt (${growAt}) must be a whole number above shrinkAt (${shrinkAt})`);
  if (!(churnAt > 0)) throw new InvalidPolicyError('churnAt must be above 0');
  if (!(constrainedAt > 0 && constrainedAt <= 1))
    throw new InvalidPolicyError('constrainedAt must be a share above 0 and at most 1');
  if (!(dwellMs >= 0)) throw new InvalidPolicyError('dwellMs must be 0 or more');
  return policy;
}

/**
 * The algorithm the identity layer should run, or undefined to stay as it is (already right,
 * inside the hysteresis band, too soon after the last switch, or an algorithm this policy does not
 * govern).
 */
export function chooseAlgorithm(
  shape: NetworkShape,
  policy: AlgorithmPolicy = DEFAULT_POLICY,
): string | undefined {
  if (shape.sinceSwitchMs < policy.dwellMs) return undefined;
  const { peers, churn, constrained } = shape;
  const large = peers >= policy.growAt || churn >= policy.churnAt || constrained >= policy.constrainedAt;
  if (shape.algorithm === 'onehop' && large) return 'chord';
  const small =
    peers <= policy.shrinkAt && churn < policy.churnAt / 2 && constrained < policy.constrainedAt / 2;
  if (shape.algorithm === 'chord' && small) return 'onehop';
  return undefined;
}
