/**
 * The in-memory simulation of large rings (simulateLookups: the real ChordNode code, hop by hop,
 * on the simulated network) in a process of its own, so that the 100,000-node ring's memory goes
 * with it. Run by worker-host.ts.
 */
import { simulateLookups } from '../../src-main/overlay/sim/simulate-lookups.ts';
import type { LookupSimulation } from '../../src-main/overlay/sim/simulate-lookups.ts';
import { serveWorker } from '../worker-serve.ts';

serveWorker({
  simulate({
    nodes,
    lookups,
    seed,
  }: {
    nodes: number;
    lookups: number;
    seed: number;
  }): Promise<LookupSimulation> {
    return simulateLookups(nodes, lookups, seed);
  },
});
