/** What the presence layer can be tuned with; every peer of a network should run the same values. */
export interface PresenceSettings {
  /**
   * The refresh period: publishers re-publish and watchers re-subscribe this often, and the
   * presence ring stabilizes at the same rate. Default 60 s (the network's RefreshRate).
   */
  refreshMs?: number;
  /** How many refresh periods a publication and a subscription live unless renewed. Default 2. */
  lifetimePeriods?: number;
  /** How often, in parts of a refresh period, the rendezvous node looks for expired entries. Default 4. */
  sweepsPerPeriod?: number;
  /** Per-hop deadline of every presence request. Default 2 s. */
  hopTimeoutMs?: number;
}

export type ResolvedPresenceSettings = Required<PresenceSettings>;

export class InvalidPresenceSettingsError extends Error {
  constructor(why: string) {
    super(`Invalid presence settings: ${why}`);
    this.name = 'InvalidPresenceSettingsError';
  }
}

export function resolvePresenceSettings(settings: PresenceSettings = {}): ResolvedPresenceSettings {
  const resolved: ResolvedPresenceSettings = {
    refreshMs: settings.refreshMs ?? 60_000,
    lifetimePeriods: settings.lifetimePeriods ?? 2,
    sweepsPerPeriod: settings.sweepsPerPeriod ?? 4,
    hopTimeoutMs: settings.hopTimeoutMs ?? 2_000,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidPresenceSettingsError(`${name} must be a whole number of at least 1, got ${value}`);
    }
  }
  // Expires travels in whole seconds: a lifetime under one second would be sent as 0, a withdrawal.
  if (resolved.refreshMs * resolved.lifetimePeriods < 1000) {
    throw new InvalidPresenceSettingsError('refreshMs × lifetimePeriods must be at least one second');
  }
  return resolved;
}
