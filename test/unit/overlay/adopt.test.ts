import { describe, expect, it } from 'vitest';
import { idealRing } from '../../../src-main/overlay/chord/check-ring.ts';
import type { NodeRef } from '../../../src-main/overlay/overlay.ts';
import { problems as ringProblems, simulation as chordSimulation } from './chord/story.ts';
import {
  periodsUntilComplete,
  simulation as oneHopSimulation,
  problems as memberProblems,
} from './onehop/story.ts';

/**
 * Overlay.adopt, the start of a layer's new algorithm in a switch (docs/PROTOCOL.md section
 * 10.3): every node starts at once from the nodes the old overlay knew, with the same NodeIDs,
 * instead of N joins at once. Nothing is sent by adopting.
 */
describe('a new overlay started from the nodes the old one knew', () => {
  it('chord, from full membership (the old overlay was onehop): every table is right at once', async () => {
    const sim = chordSimulation();
    await sim.adoptAll(30, (_self, all) => [...all]);
    expect(sim.network.stats.requests).toBe(0);
    expect(ringProblems(sim)).toEqual([]);
  });

  it("chord, from a converged Chord ring's successors, predecessor and fingers: right at once", async () => {
    const sim = chordSimulation();
    await sim.adoptAll(30, (self, all) => tablesOf(self, all));
    expect(ringProblems(sim)).toEqual([]);
  });

  it("onehop, from a Chord ring's tables (a few nodes each): every member known within a few periods", async () => {
    const sim = oneHopSimulation();
    await sim.adoptAll(30, (self, all) => tablesOf(self, all));
    expect(sim.network.stats.requests).toBe(0);
    expect(memberProblems(sim).length).toBeGreaterThan(0);
    const periods = await periodsUntilComplete(sim, 12);
    expect(periods).toBeGreaterThan(0);
  });
});

/** What a converged Chord node knows: its 4 successors, predecessor and distinct fingers. */
function tablesOf(self: NodeRef, all: readonly NodeRef[]): NodeRef[] {
  const byId = new Map(all.map((n) => [n.id, n]));
  const ideal = idealRing(
    all.map((n) => n.id),
    { successors: 4 },
  ).get(self.id)!;
  const ids = new Set([
    ...ideal.successors,
    ...ideal.fingers,
    ...(ideal.predecessor ? [ideal.predecessor] : []),
  ]);
  ids.delete(self.id);
  return [...ids].map((id) => byId.get(id)!);
}
