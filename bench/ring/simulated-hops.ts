import type { LookupSimulation } from '../../src-main/overlay/sim/simulate-lookups.ts';
import { Worker } from '../worker-host.ts';

/** The ring sizes the simulation adds beside the 200 real peers. */
export const SIMULATED_SIZES = [1_000, 10_000, 100_000];

/**
 * Mean and p95 hops of `lookups` random lookups in simulated rings of 1,000 (every node joined
 * through the protocol), 10,000 and 100,000 nodes (tables of a converged ring, built directly:
 * joining 100,000 nodes one by one takes hours), seed 1 as in docs/BENCHMARKS.md.
 */
export async function simulatedHops(
  lookups: number,
  log: (line: string) => void,
): Promise<LookupSimulation[]> {
  const worker = await Worker.start('ring simulation', './ring/simulation-worker.ts');
  try {
    const results: LookupSimulation[] = [];
    for (const nodes of SIMULATED_SIZES) {
      const result = await worker.call<LookupSimulation>('simulate', { nodes, lookups, seed: 1 }, 600_000);
      log(
        `    simulated ${nodes.toLocaleString('en')} nodes (${result.build}): mean ${result.meanHops.toFixed(2)} hops, p95 ${result.p95Hops}, bound ${result.bound.toFixed(2)}, wrong owners ${result.wrongOwners}`,
      );
      results.push(result);
    }
    return results;
  } finally {
    await worker.stop();
  }
}
