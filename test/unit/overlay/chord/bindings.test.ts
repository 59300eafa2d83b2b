import { describe, expect, it } from 'vitest';

import type { Binding } from '../../../../src-main/overlay/overlay.ts';
import type { ChordNode } from '../../../../src-main/overlay/chord/chord-node.ts';
import { idOf, toPosition } from '../../../../src-main/overlay/chord/ring.ts';
import { device, ownerOf, periodsUntilCorrect, register, simulation, sorted } from './story.ts';

describe('user bindings on the ring', () => {
  it('keeps every device of an AOR, stored at the owner of SHA-1(AOR) and its next k successors', async () => {
    const changes: Array<[string, string, number]> = [];
    const sim = simulation(
      {},
      {
        seed: 61,
        delegate: (self) => ({
          onBindingsChanged: (aor, bindings) => changes.push([self.id, aor, bindings.length]),
        }),
      },
    );
    await sim.grow(20);
    await periodsUntilCorrect(sim, 6);
    const now = sim.clock.now();
    const desk = device(1, now, 'bob');
    const mobile = { ...device(2, now, 'bob') };
    await register(sim, [desk, mobile]);

    const found = await sim.run(sim.pick().get('sip:bob@atlanta.com'));
    expect(found.map((b) => b.contact).sort()).toEqual([desk.contact, mobile.contact].sort());

    const owner = ownerOf(sim, idOf('sip:bob@atlanta.com'));
    const ring = sorted(sim);
    const k = ring.indexOf(owner);
    const holders = ring.filter((node) => (node as ChordNode).storedBindings().length > 0);
    // The owner and its next 3 (replicas = r - 1) successors, nobody else.
    expect(holders).toEqual(expect.arrayContaining([0, 1, 2, 3].map((j) => ring[(k + j) % ring.length])));
    expect(holders).toHaveLength(4);
    // The owner's delegate heard of both devices.
    expect(changes.filter(([id]) => id === owner.self.id).map(([, aor, n]) => [aor, n])).toEqual([
      ['sip:bob@atlanta.com', 1],
      ['sip:bob@atlanta.com', 2],
    ]);
  });

  it('renews, removes and expires registrations', async () => {
    const sim = simulation({}, { seed: 62 });
    await sim.grow(10);
    const now = sim.clock.now();
    const desk: Binding = device(1, now, 'carol');
    await register(sim, [desk]);
    // A refresh REGISTER: same contact, later expiry.
    await sim.advance(1_000);
    const renewed = { ...desk, expiresAt: sim.clock.now() + 60_000 };
    await register(sim, [renewed]);
    expect(await sim.run(sim.pick().get(desk.aor))).toEqual([renewed]);
    // REGISTER with Expires: 0 removes it, everywhere.
    await sim.advance(1_000);
    await register(sim, [{ ...desk, expiresAt: sim.clock.now() }]);
    expect(await sim.run(sim.pick().get(desk.aor))).toEqual([]);
    // A registration that is not renewed is gone after its expiry.
    const phone = device(2, sim.clock.now(), 'dave');
    await register(sim, [{ ...phone, expiresAt: sim.clock.now() + 5_000 }]);
    expect(await sim.run(sim.pick().get(phone.aor))).toHaveLength(1);
    await sim.advance(6_000);
    expect(await sim.run(sim.pick().get(phone.aor))).toEqual([]);
    expect(sim.live().every((node) => (node as ChordNode).storedBindings().length === 0)).toBe(true);
  });

  it('moves keys to a node that joins in front of their owner', async () => {
    const sim = simulation({}, { seed: 63 });
    await sim.grow(10);
    await periodsUntilCorrect(sim, 6);
    const bindings = Array.from({ length: 200 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);

    const newcomers = [];
    for (let i = 0; i < 5; i++) newcomers.push(await sim.join());
    for (const node of newcomers) {
      // Right after its join, each newcomer holds every key in (predecessor, itself].
      const pred = node.state().tables.predecessor as { id: string };
      const mine = bindings.filter((b) => {
        const key = toPosition(idOf(b.aor));
        const [from, to] = [toPosition(pred.id), toPosition(node.self.id)];
        return from < to ? key > from && key <= to : key > from || key <= to;
      });
      const held = (node as ChordNode).storedBindings().map((b) => b.contact);
      for (const b of mine) expect(held).toContain(b.contact);
    }
    const owners = new Set(bindings.map((b) => ownerOf(sim, idOf(b.aor))));
    expect(newcomers.some((node) => owners.has(node))).toBe(true);
    for (const b of bindings.slice(0, 50)) expect(await sim.run(sim.pick().get(b.aor))).toEqual([b]);
  });
});
