import type { TrustFactory } from './trust-layer.ts';

export class UnknownTrustMechanismError extends Error {
  constructor(
    readonly algorithm: string,
    known: string[],
  ) {
    super(`No trust mechanism "${algorithm}" (known: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownTrustMechanismError';
  }
}

/**
 * Trust mechanisms by name, so that the one a peer runs is a lookup: `registry.factory('login-server')`.
 * One layer only, so unlike OverlayRegistry it is keyed by name alone.
 */
export class TrustRegistry {
  private readonly factories = new Map<string, TrustFactory>();

  register(algorithm: string, factory: TrustFactory): this {
    this.factories.set(algorithm, factory);
    return this;
  }

  factory(algorithm: string): TrustFactory {
    const found = this.factories.get(algorithm);
    if (!found) throw new UnknownTrustMechanismError(algorithm, this.algorithms());
    return found;
  }

  algorithms(): string[] {
    return [...this.factories.keys()];
  }
}
