import { describe, expect, it } from 'vitest';

import type { Binding, Overlay } from '../../../../src-main/overlay/overlay.ts';
import { idOf } from '../../../../src-main/overlay/chord/ring.ts';
import { device, keys, misrouted, missing, periodsUntilComplete, register, simulation } from './story.ts';

describe('a one-hop overlay under failures', () => {
  it('half of 30 nodes crash at once: every table heals within a few refresh periods, routing is right again', async () => {
    const failed: string[] = [];
    const sim = simulation(
      {},
      { seed: 21, delegate: () => ({ onNodeFailed: (node) => failed.push(node.id) }) },
    );
    await sim.grow(30);
    await sim.advance(2_000);
    const bindings = Array.from({ length: 150 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);
    await sim.advance(2_000);

    const ring = [...sim.live()].sort((a, b) => (a.self.id < b.self.id ? -1 : 1));
    const victims = sim.random.shuffle(ring).slice(0, 15);
    const dead = new Set(victims.map((n) => n.self.id));
    for (const node of victims) await sim.crash(node);

    // Neighbours find a crash within `failures` (2) periods; the news reaches everyone by gossip.
    const periods = await periodsUntilComplete(sim, 8);
    expect(periods).toBeGreaterThanOrEqual(2);
    expect(periods).toBeLessThanOrEqual(6);
    expect(await misrouted(sim, keys(20))).toEqual([]);
    expect(new Set(failed)).toEqual(dead);

    // A binding is lost only if its owner and its three replicas all died.
    const survivesIn = (b: Binding) => {
      const k = ring.findIndex((n) => n.self.id >= idOf(b.aor));
      const holders: Overlay[] = [0, 1, 2, 3].map((j) => ring[((k < 0 ? 0 : k) + j) % ring.length]!);
      return holders.some((n) => !dead.has(n.self.id));
    };
    const kept = bindings.filter(survivesIn);
    expect(kept.length).toBeGreaterThan(130);
    expect(await missing(sim, kept)).toEqual([]);
  }, 60_000);

  it('under churn on a bad network (5% loss, duplicates, jitter) it converges and loses no binding', async () => {
    const sim = simulation(
      {},
      { seed: 22, network: { loss: 0.05, duplication: 0.02, delayMs: 5, jitterMs: 20 } },
    );
    await sim.grow(25);
    await periodsUntilComplete(sim, 10);
    const bindings: Binding[] = Array.from({ length: 50 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);

    let joins = 0;
    let crashes = 0;
    let leaves = 0;
    for (let step = 0; step < 120; step++) {
      const dice = sim.random.next();
      if (dice < 0.25) {
        await sim.grow(sim.live().length + 1);
        joins++;
      } else if (dice < 0.4 && sim.live().length > 18) {
        await sim.crash(sim.pick());
        crashes++;
      } else if (dice < 0.45 && sim.live().length > 18) {
        await sim.leave(sim.pick());
        leaves++;
      } else {
        const binding = device(1_000 + step, sim.clock.now());
        await register(sim, [binding]);
        bindings.push(binding);
      }
      await sim.advance(300);
    }
    expect(joins).toBeGreaterThan(20);
    expect(crashes).toBeGreaterThan(10);
    expect(leaves).toBeGreaterThan(2);
    expect(sim.network.stats.dropped).toBeGreaterThan(500);

    // Churn stops, the network stays bad: every table converges and every registration is there.
    expect(await periodsUntilComplete(sim, 15)).toBeLessThanOrEqual(15);
    expect(await misrouted(sim, keys(10))).toEqual([]);
    expect(await missing(sim, bindings)).toEqual([]);
    expect(sim.states().every((s) => !('lastRefreshError' in s.tables))).toBe(true);
  }, 60_000);
});
