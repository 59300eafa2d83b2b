// The in-memory network for overlay algorithms: a fake clock, a lossy network, a cast of nodes,
// and the lookup simulation `npm run bench` reports for large N.

export { FakeClock } from './fake-clock.ts';
export { Prng } from './prng.ts';
export { SimNetwork } from './sim-network.ts';
export type { NetworkConditions, SimEndpoint, SimNetworkOptions, SimNetworkStats } from './sim-network.ts';
export { SimRing } from './sim-ring.ts';
export type { SimRingOptions } from './sim-ring.ts';
export { simulateLookups } from './simulate-lookups.ts';
export type { LookupSimulation, SimulateOptions } from './simulate-lookups.ts';
