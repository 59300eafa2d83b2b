import { expect } from 'vitest';

import type { Binding, Overlay } from '../../../../src-main/overlay/overlay.ts';
import {
  checkMembers,
  onehop,
  ownerAmong,
  type MembershipProblem,
  type OneHopNode,
  type OneHopSettings,
} from '../../../../src-main/overlay/onehop/index.ts';
import { idOf } from '../../../../src-main/overlay/chord/ring.ts';
import { SimRing, type SimRingOptions } from '../../../../src-main/overlay/sim/sim-ring.ts';

/** Fast overlays for tests: a refresh each simulated second, 100 ms per request. */
export const FAST: OneHopSettings = { refreshMs: 1_000, hopTimeoutMs: 100 };

export function simulation(settings: OneHopSettings = {}, options: Partial<SimRingOptions> = {}): SimRing {
  return new SimRing({ factory: onehop({ ...FAST, ...settings }), ...options });
}

export function problems(sim: SimRing): MembershipProblem[] {
  return checkMembers(sim.states());
}

/**
 * Lets refresh periods pass one at a time until every node's table holds exactly the live nodes,
 * and returns how many it took (or fails after `limit`).
 */
export async function periodsUntilComplete(sim: SimRing, limit: number, refreshMs = 1_000): Promise<number> {
  for (let periods = 0; periods <= limit; periods++) {
    if (problems(sim).length === 0) return periods;
    await sim.advance(refreshMs);
  }
  expect(problems(sim).slice(0, 3), `membership still wrong after ${limit} periods`).toEqual([]);
  return limit;
}

/** The owner of `key` by the sorted ids of the live nodes: the reference computation. */
export function ownerOf(sim: SimRing, key: string): Overlay {
  const id = ownerAmong(
    sim.live().map((n) => n.self.id),
    key,
  );
  return sim.live().find((n) => n.self.id === id)!;
}

/** Keys that some node routes to another owner than the reference. */
export async function misrouted(sim: SimRing, keys: readonly string[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const node of sim.live()) {
    for (const key of keys) {
      const { owner, hops } = await sim.run(node.route(key));
      const expected = ownerOf(sim, key);
      if (owner.id !== expected.self.id || hops !== (expected === node ? 0 : 1))
        wrong.push(`${node.self.id.slice(0, 6)}→${key.slice(0, 6)}`);
    }
  }
  return wrong;
}

export function keys(n: number, tag = 'key'): string[] {
  return Array.from({ length: n }, (_, i) => idOf(`${tag} ${i}`));
}

/** User i's phone, registered for an hour from `now`. */
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

export function asOneHop(node: Overlay): OneHopNode {
  return node as OneHopNode;
}

/** The ids in a node's table. */
export function memberIds(node: Overlay): string[] {
  return (node.state().tables.members as Array<{ id: string }>).map((m) => m.id);
}
