import { describe, expect, it } from 'vitest';

import type { NodeRef } from '../../../../src-main/overlay/overlay.ts';
import { idOf } from '../../../../src-main/overlay/chord/ring.ts';
import {
  asOneHop,
  device,
  memberIds,
  missing,
  ownerOf,
  periodsUntilComplete,
  problems,
  register,
  simulation,
} from './story.ts';

describe('bindings on a one-hop overlay', () => {
  it('a put from any node lands on the owner and its three next members; a get from any node finds it', async () => {
    const sim = simulation({}, { seed: 11 });
    await sim.grow(12);
    await sim.advance(2_000);
    const bindings = Array.from({ length: 40 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);
    expect(await missing(sim, bindings)).toEqual([]);

    const ring = [...sim.live()].sort((a, b) => (a.self.id < b.self.id ? -1 : 1));
    for (const b of bindings) {
      const owner = ownerOf(sim, idOf(b.aor));
      const k = ring.indexOf(owner);
      const holders = [0, 1, 2, 3].map((j) => ring[(k + j) % ring.length]!);
      for (const node of holders)
        expect(node.localBindings(b.aor).map((x) => x.contact)).toContain(b.contact);
    }
    // Zero or one hop: the owner answers from its own store.
    const asker = ring[0]!;
    const hop = asker.nextHop(idOf(bindings[0]!.aor));
    expect(hop.kind === 'here' || hop.kind === 'owner').toBe(true);
  });

  it('when the responsible node crashes, a get at once finds the binding on a replica, and later on the new owner', async () => {
    const sim = simulation({}, { seed: 12 });
    await sim.grow(15);
    await sim.advance(2_000);
    const bob = device(7, sim.clock.now(), 'bob');
    await register(sim, [bob]);
    const owner = ownerOf(sim, idOf(bob.aor));
    await sim.crash(owner);

    // Nobody has noticed yet.
    expect(sim.live().every((n) => memberIds(n).includes(owner.self.id))).toBe(true);
    const alice = sim.live().find((n) => n !== owner)!;
    expect(await sim.run(alice.get(bob.aor))).toEqual([bob]);

    expect(await periodsUntilComplete(sim, 4)).toBeLessThanOrEqual(4);
    const heir = ownerOf(sim, idOf(bob.aor));
    expect(heir.localBindings(bob.aor)).toEqual([bob]);
    expect(await missing(sim, [bob])).toEqual([]);
  });

  it('a node leaving gracefully hands its bindings over and everyone drops it at once, before any refresh', async () => {
    const sim = simulation({}, { seed: 13 });
    await sim.grow(10);
    await sim.advance(2_000);
    const bindings = Array.from({ length: 60 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);
    const carol = sim
      .live()
      .reduce((best, n) => (n.storedBindings().length > best.storedBindings().length ? n : best));
    const carolsOwn = bindings.filter((b) => ownerOf(sim, idOf(b.aor)) === carol);
    expect(carolsOwn.length).toBeGreaterThan(0);

    await sim.leave(carol);

    expect(problems(sim)).toEqual([]);
    for (const b of carolsOwn) expect(ownerOf(sim, idOf(b.aor)).localBindings(b.aor)).toContainEqual(b);
    expect(await missing(sim, bindings)).toEqual([]);
    expect(asOneHop(carol).joinState).toBe('left');
    expect(carol.state().bindings).toBe(0);
    // The replicas of the ranges around the gap are brought back to three within a period.
    await sim.advance(1_000);
    const ring = [...sim.live()].sort((a, b) => (a.self.id < b.self.id ? -1 : 1));
    for (const b of bindings) {
      const k = ring.indexOf(ownerOf(sim, idOf(b.aor)));
      for (const j of [0, 1, 2, 3])
        expect(ring[(k + j) % ring.length]!.localBindings(b.aor)).toContainEqual(b);
    }
  });

  it('a node joining takes over its range from its successor: the bindings move with it', async () => {
    const sim = simulation({}, { seed: 14 });
    await sim.grow(8);
    await sim.advance(2_000);
    const bindings = Array.from({ length: 80 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);
    for (let i = 0; i < 4; i++) await sim.join();
    for (const b of bindings) expect(ownerOf(sim, idOf(b.aor)).localBindings(b.aor)).toContainEqual(b);
    expect(await missing(sim, bindings)).toEqual([]);
  });

  it('reportFailure sends the next request to the next member at once', async () => {
    const sim = simulation({}, { seed: 15 });
    await sim.grow(6);
    const key = idOf('sip:dave@atlanta.com');
    const owner = ownerOf(sim, key);
    const asker = sim.live().find((n) => n !== owner)!;
    expect(asker.nextHop(key)).toEqual({ kind: 'owner', node: owner.self });
    asker.reportFailure(owner.self);
    const next = asker.nextHop(key);
    expect(next.kind === 'here' || (next.kind === 'owner' && next.node.id !== owner.self.id)).toBe(true);
    // It answers the next probe: it is routed to again.
    await sim.advance(2_000);
    expect(asker.nextHop(key)).toEqual({ kind: 'owner', node: owner.self as NodeRef });
  });
});
