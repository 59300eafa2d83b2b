import { describe, expect, it } from 'vitest';

import type { Binding, Overlay } from '../../../../src-main/overlay/overlay.ts';
import { idOf } from '../../../../src-main/overlay/chord/ring.ts';
import {
  device,
  missing,
  ownerOf,
  periodsUntilCorrect,
  register,
  ringLinksRight,
  simulation,
  sorted,
} from './story.ts';

// One attempt per hop, as the identity layer runs Chord over SIP (identity-layer.ts).
const SETTINGS = { attempts: 1 };
const REPLICAS = 3; // the default: a binding lives on its owner and the next 3 nodes

/** The bindings whose owner and every replica are among the dead: nobody can give them back. */
function doomed(
  ring: readonly Overlay[],
  dead: ReadonlySet<string>,
  bindings: readonly Binding[],
): Binding[] {
  const ids = ring.map((node) => node.self.id);
  return bindings.filter((binding) => {
    const key = idOf(binding.aor);
    const owner = Math.max(
      0,
      ids.findIndex((id) => id >= key),
    );
    return Array.from({ length: REPLICAS + 1 }, (_, j) => ids[(owner + j) % ids.length]).every((id) =>
      dead.has(id),
    );
  });
}

/** The longest run of dead nodes side by side in the ring (it wraps round). */
function longestRun(ring: readonly Overlay[], dead: ReadonlySet<string>): number {
  let longest = 0;
  let run = 0;
  for (let k = 0; k < 2 * ring.length; k++) {
    run = dead.has(ring[k % ring.length].self.id) ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe('half of the ring crashing at once', () => {
  // Seed 8 leaves a node whose successors, fingers and predecessor all died; seed 41 kills 11
  // nodes side by side, far beyond the r - 1 = 3 the successor lists cover.
  it.each([8, 41])(
    'seed %i: 100 of 200 nodes crash; the survivors form one ring again within 10 refresh periods and lose only the bindings every copy of which died',
    async (seed) => {
      const sim = simulation(SETTINGS, { seed });
      await sim.grow(200);
      await periodsUntilCorrect(sim, 12, SETTINGS);
      const bindings = Array.from({ length: 200 }, (_, i) => device(i, sim.clock.now()));
      await register(sim, bindings);

      const ring = sorted(sim);
      const victims = sim.random.shuffle(ring).slice(0, 100);
      const dead = new Set(victims.map((node) => node.self.id));
      expect(longestRun(ring, dead)).toBeGreaterThan(4);
      const beyondRescue = doomed(ring, dead, bindings);
      for (const node of victims) await sim.crash(node);

      // Dead neighbours are declared dead after `failures` (2) silent refreshes; the links
      // (every predecessor and successor list) are whole a few periods later, the fingers soon after.
      let links = 0;
      while (!ringLinksRight(sim, SETTINGS) && links < 12) {
        await sim.advance(1_000);
        links++;
      }
      expect(links).toBeLessThanOrEqual(6);
      const periods = links + (await periodsUntilCorrect(sim, 10 - links, SETTINGS));
      expect(periods).toBeLessThanOrEqual(10);

      // Every survivor finds the right owner of any key again, in a single ring.
      for (const node of sim.live()) {
        const key = idOf(`key-${node.self.id}`);
        const found = await sim.run(node.route(key));
        expect(found.owner.id).toBe(ownerOf(sim, key).self.id);
      }
      expect(await missing(sim, bindings)).toEqual(beyondRescue);
    },
    60_000,
  );
});
