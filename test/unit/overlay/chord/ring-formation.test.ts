import { describe, expect, it } from 'vitest';

import { idOf } from '../../../../src-main/overlay/chord/ring.ts';
import { periodsUntilCorrect, problems, simulation, sorted } from './story.ts';

describe('a Chord ring forming', () => {
  it('of one node owns every key and points every finger at itself', async () => {
    const sim = simulation();
    const alone = await sim.create();
    expect(problems(sim)).toEqual([]);
    const route = await sim.run(alone.route(idOf('sip:bob@atlanta.com')));
    expect(route).toEqual({ owner: alone.self, hops: 0, path: [] });
  });

  it.each([
    { n: 2, seed: 1, periods: 3 },
    { n: 3, seed: 2, periods: 3 },
    { n: 30, seed: 3, periods: 6 },
    { n: 200, seed: 4, periods: 8 },
  ])(
    'of $n nodes, joined in random order through random members, has every table right within $periods periods',
    async ({ n, seed, periods }) => {
      const sim = simulation({}, { seed });
      const order = sim.random.shuffle(Array.from({ length: n }, (_, i) => i));
      await sim.create(order[0]);
      for (const index of order.slice(1)) await sim.join(undefined, index);
      // The joins leave only successor-list tails and a few fingers to stabilization.
      expect(await periodsUntilCorrect(sim, periods)).toBeLessThanOrEqual(periods);
      expect(sim.live()).toHaveLength(n);
      if (n === 2) {
        // Spelled out for the smallest ring: each is the other's successor and predecessor.
        const [a, b] = sorted(sim);
        expect(a.state().tables).toMatchObject({ successors: [b.self], predecessor: b.self });
        expect(b.state().tables).toMatchObject({ successors: [a.self], predecessor: a.self });
      }
    },
    60_000,
  );

  it('ends with the same tables whatever the join order', async () => {
    const tablesAfter = async (order: number[]): Promise<Record<string, string>> => {
      const sim = simulation({}, { seed: 9 });
      await sim.create(order[0]);
      for (const index of order.slice(1)) await sim.join(undefined, index);
      await periodsUntilCorrect(sim, 6);
      return Object.fromEntries(sim.states().map((s) => [s.self.id, JSON.stringify(s.tables)]));
    };
    const inOrder = Array.from({ length: 20 }, (_, i) => i);
    const reversed = [...inOrder].reverse();
    const first = await tablesAfter(inOrder);
    expect(Object.keys(first)).toHaveLength(20);
    expect(await tablesAfter(reversed)).toEqual(first);
  });
});
