import { expect } from 'vitest';

import type { Binding, Overlay } from '../../../../src-main/overlay/overlay.ts';
import {
  chord,
  checkRing,
  type ChordSettings,
  type RingProblem,
} from '../../../../src-main/overlay/chord/index.ts';
import type { ChordNode } from '../../../../src-main/overlay/chord/chord-node.ts';
import { idOf } from '../../../../src-main/overlay/chord/ring.ts';
import { SimRing, type SimRingOptions } from '../../../../src-main/overlay/sim/sim-ring.ts';

/** Fast rings for tests: a refresh each simulated second, 100 ms per hop. */
export const FAST: ChordSettings = { refreshMs: 1_000, hopTimeoutMs: 100 };

export function simulation(settings: ChordSettings = {}, options: Partial<SimRingOptions> = {}): SimRing {
  return new SimRing({ factory: chord({ ...FAST, ...settings }), ...options });
}

export function problems(sim: SimRing, settings: ChordSettings = {}): RingProblem[] {
  return checkRing(sim.states(), { successors: settings.successors ?? 4, fingers: settings.fingers });
}

/**
 * Lets refresh periods pass one at a time until every table is what the sorted ids say, and
 * returns how many it took (or fails after `limit`).
 */
export async function periodsUntilCorrect(
  sim: SimRing,
  limit: number,
  settings: ChordSettings = {},
): Promise<number> {
  const period = settings.refreshMs ?? FAST.refreshMs!;
  for (let periods = 0; periods <= limit; periods++) {
    if (problems(sim, settings).length === 0) return periods;
    await sim.advance(period);
  }
  expect(problems(sim, settings).slice(0, 3), `ring still wrong after ${limit} periods`).toEqual([]);
  return limit;
}

/** Whether every node's predecessor and first successor are right: the ring itself, fingers aside. */
export function ringLinksRight(sim: SimRing, settings: ChordSettings = {}): boolean {
  const first = (list: string) => list.split(',')[0];
  return problems(sim, settings).every(
    (p) => p.what.startsWith('finger') || (p.what === 'successors' && first(p.actual) === first(p.expected)),
  );
}

/** Bob's phone number i, registered for an hour from `now`. */
export function device(i: number, now: number, user = `user${i}`): Binding {
  return {
    aor: `sip:${user}@atlanta.com`,
    contact: `sip:${user}@10.1.${(i >> 8) & 255}.${i & 255}:5060`,
    nodeId: idOf(`device-${i}`),
    certificateFingerprint: idOf(`certificate-${i}`).padEnd(64, '0'),
    expiresAt: now + 3_600_000,
  };
}

/** Puts each binding through a random live node. */
export async function register(sim: SimRing, bindings: readonly Binding[]): Promise<void> {
  for (const binding of bindings) await sim.run(sim.pick().put(binding));
}

/** The bindings that a get() from a random live node does not return. */
export async function missing(sim: SimRing, bindings: readonly Binding[]): Promise<Binding[]> {
  const lost: Binding[] = [];
  for (const binding of bindings) {
    const found = await sim.run(sim.pick().get(binding.aor));
    if (!found.some((b) => b.contact === binding.contact)) lost.push(binding);
  }
  return lost;
}

/** The live nodes in ring order. */
export function sorted(sim: SimRing): Overlay[] {
  return [...sim.live()].sort((a, b) => (a.self.id < b.self.id ? -1 : 1));
}

export function asChord(node: Overlay): ChordNode {
  return node as ChordNode;
}

/** The node responsible for `key` by the sorted ids. */
export function ownerOf(sim: SimRing, key: string): Overlay {
  const ring = sorted(sim);
  return ring.find((node) => node.self.id >= key) ?? ring[0];
}
