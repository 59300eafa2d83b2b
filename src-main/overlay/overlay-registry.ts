import type { OverlayFactory } from './overlay.ts';

export class UnknownAlgorithmError extends Error {
  constructor(layer: string, algorithm: string, known: string[]) {
    super(`No algorithm "${algorithm}" for the ${layer} layer (known: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownAlgorithmError';
  }
}

/**
 * Algorithms by layer and name, so that choosing (or, later, switching) the algorithm a layer
 * runs is a lookup: `registry.factory('identity', 'chord')`.
 */
export class OverlayRegistry {
  private readonly factories = new Map<string, Map<string, OverlayFactory>>();

  register(layer: string, algorithm: string, factory: OverlayFactory): this {
    let byName = this.factories.get(layer);
    if (!byName) this.factories.set(layer, (byName = new Map()));
    byName.set(algorithm, factory);
    return this;
  }

  factory(layer: string, algorithm: string): OverlayFactory {
    const found = this.factories.get(layer)?.get(algorithm);
    if (!found) throw new UnknownAlgorithmError(layer, algorithm, this.algorithms(layer));
    return found;
  }

  algorithms(layer: string): string[] {
    return [...(this.factories.get(layer)?.keys() ?? [])];
  }
}
