import { describe, expect, it } from 'vitest';

import type { NodeRef, OverlayState } from '../../../../src-main/overlay/overlay.ts';
import { OverlayRegistry } from '../../../../src-main/overlay/overlay-registry.ts';
import { InvalidChordSettingsError, chord } from '../../../../src-main/overlay/chord/index.ts';
import type { ChordNode } from '../../../../src-main/overlay/chord/chord-node.ts';
import { fingerStart, toId, toPosition } from '../../../../src-main/overlay/chord/ring.ts';
import { periodsUntilCorrect, simulation, sorted } from './story.ts';

describe('a chord node’s life', () => {
  it('is built from the registry by layer and name, and checks its settings there', () => {
    const registry = new OverlayRegistry().register('identity', 'chord', chord({ refreshMs: 60_000 }));
    expect(registry.algorithms('identity')).toEqual(['chord']);
    expect(() => chord({ replicas: 9 })).toThrow(InvalidChordSettingsError);
    expect(() => chord({ fingers: 0 })).toThrow(/fingers must be a whole number from 1 to 160/);
  });

  it('shows its tables: successors, predecessor, fingers where they change, refresh rate', async () => {
    const sim = simulation({}, { seed: 81 });
    await sim.grow(12);
    await periodsUntilCorrect(sim, 6);
    const [first, second, third] = sorted(sim);
    const state = second.state();
    expect(state).toMatchObject({
      layer: 'identity',
      algorithm: 'chord',
      self: second.self,
      joined: true,
      bindings: 0,
    });
    expect(state.tables).toMatchObject({ state: 'joined', predecessor: first.self, refreshRate: 1 });
    expect((state.tables.successors as NodeRef[]).slice(0, 2)).toEqual([third.self, sorted(sim)[3].self]);
    const fingers = state.tables.fingers as Array<{ start: string; node: NodeRef }>;
    // Deduplicated: one row per change of node, the first being finger 1 (the successor).
    expect(fingers[0]).toEqual({ start: toId(fingerStart(toPosition(second.self.id), 1)), node: third.self });
    expect(fingers.length).toBeLessThan(12);
    expect(fingers.every((row, k) => k === 0 || row.node.id !== fingers[k - 1].node.id)).toBe(true);
    // Plain data: it survives JSON (the UI and CLI get it over IPC).
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('tells its delegate when its neighbours change, and when one of them dies', async () => {
    const news: Array<{ node: string; state?: OverlayState; failed?: string }> = [];
    const sim = simulation(
      {},
      {
        seed: 82,
        delegate: (self) => ({
          onNeighboursChanged: (state) => news.push({ node: self.id, state }),
          onNodeFailed: (node) => news.push({ node: self.id, failed: node.id }),
        }),
      },
    );
    await sim.grow(8);
    await periodsUntilCorrect(sim, 6);
    const ring = sorted(sim);
    news.length = 0;
    const victim = ring[3];
    await sim.crash(victim);
    await sim.advance(4_000);
    const before = ring[2].self.id;
    const after = ring[4].self.id;
    expect(news.some((n) => n.node === before && n.failed === victim.self.id)).toBe(true);
    expect(news.some((n) => n.node === after && n.failed === victim.self.id)).toBe(true);
    const latest = news.filter((n) => n.node === after && n.state).at(-1)!.state!;
    expect(latest.tables.predecessor).toEqual(ring[2].self);
  });

  it('can be started and stopped twice, and sends nothing while stopped', async () => {
    const sim = simulation({}, { seed: 83 });
    const nodes = await sim.grow(5);
    for (const node of nodes) {
      await node.start();
      await node.start();
    }
    await sim.advance(3_000);
    const busy = sim.network.stats.requests;
    expect(busy).toBeGreaterThan(0);
    for (const node of nodes) {
      await node.stop();
      await node.stop();
    }
    await sim.advance(10_000);
    expect(sim.network.stats.requests).toBe(busy);
    expect((nodes[0] as ChordNode).joinState).toBe('joined');
  });

  it('refreshes its neighbours with a handful of requests per period when idle', async () => {
    const sim = simulation({}, { seed: 84 });
    await sim.grow(50);
    await periodsUntilCorrect(sim, 8);
    const before = sim.network.stats.requests;
    await sim.advance(10_000);
    const perNodePerPeriod = (sim.network.stats.requests - before) / 50 / 10;
    // Notify to the successor, Ping to the predecessor, a few finger checks.
    expect(perNodePerPeriod).toBeGreaterThanOrEqual(2);
    expect(perNodePerPeriod).toBeLessThanOrEqual(2 + 4);
  });
});
