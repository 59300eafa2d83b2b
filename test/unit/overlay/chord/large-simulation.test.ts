import { describe, expect, it } from 'vitest';

import { simulateLookups } from '../../../../src-main/overlay/sim/simulate-lookups.ts';

describe('large rings in the simulator', () => {
  it('1,000 nodes that joined one by one find every owner in at most 1/2 log2(N) + 1 hops on average', async () => {
    const result = await simulateLookups(1_000, 2_000, 71);
    expect(result).toMatchObject({ nodes: 1_000, lookups: 2_000, build: 'joined', wrongOwners: 0 });
    expect(result.meanHops).toBeLessThanOrEqual(result.bound);
    expect(result.meanHops).toBeGreaterThan(2); // it does route: no shortcut to the owner
    expect(result.p95Hops).toBeLessThanOrEqual(Math.ceil(Math.log2(1_000)));
  }, 120_000);

  it('10,000 nodes with ideal tables (the benchmark’s way for large N) do too, on the same code path', async () => {
    const result = await simulateLookups(10_000, 2_000, 72, { build: 'ideal' });
    expect(result).toMatchObject({ build: 'ideal', wrongOwners: 0 });
    expect(result.meanHops).toBeLessThanOrEqual(result.bound);
    expect(result.p50Hops).toBeLessThanOrEqual(result.p95Hops);
  }, 120_000);

  it('gives the same numbers for the same seed', async () => {
    const a = await simulateLookups(300, 500, 73, { build: 'ideal' });
    const b = await simulateLookups(300, 500, 73, { build: 'ideal' });
    expect(b).toEqual(a);
  });
});
