import { describe, expect, it } from 'vitest';

import type { NodeRef } from '../../../../src-main/overlay/overlay.ts';
import type { ChordNode } from '../../../../src-main/overlay/chord/chord-node.ts';
import { idOf } from '../../../../src-main/overlay/chord/ring.ts';
import {
  device,
  missing,
  ownerOf,
  periodsUntilCorrect,
  problems,
  register,
  simulation,
  sorted,
} from './story.ts';

describe('a node leaving gracefully', () => {
  it('hands its bindings to its successor and links its neighbours before it goes', async () => {
    const sim = simulation({}, { seed: 51 });
    await sim.grow(20);
    await periodsUntilCorrect(sim, 6);
    const bindings = Array.from({ length: 80 }, (_, i) => device(i, sim.clock.now()));
    await register(sim, bindings);
    const ring = sorted(sim);
    // The node owning the most registrations leaves.
    const carol = ring.reduce((best, node) =>
      (node as ChordNode).storedBindings().length > (best as ChordNode).storedBindings().length ? node : best,
    );
    const k = ring.indexOf(carol);
    const before = ring[(k - 1 + ring.length) % ring.length];
    const after = ring[(k + 1) % ring.length];
    const carolsOwn = bindings.filter((b) => ownerOf(sim, idOf(b.aor)) === carol);
    expect(carolsOwn.length).toBeGreaterThan(0);

    await sim.leave(carol);

    // No refresh has run: the neighbours learnt it from Carol herself.
    expect(after.state().tables.predecessor).toEqual(before.self);
    expect((before.state().tables.successors as NodeRef[])[0]).toEqual(after.self);
    const heirs = (after as ChordNode).storedBindings().map((b) => b.contact);
    for (const b of carolsOwn) expect(heirs).toContain(b.contact);
    expect(await missing(sim, bindings)).toEqual([]);
    expect((carol as ChordNode).joinState).toBe('left');
    expect(carol.state().bindings).toBe(0);
    // Only fingers and successor-list tails wait for the refresh.
    expect(problems(sim).filter((p) => p.what === 'predecessor')).toEqual([]);
    expect(await periodsUntilCorrect(sim, 6)).toBeLessThanOrEqual(6);
  });

  it('refuses ring requests while leaving (503) and after (480), and can leave twice', async () => {
    const sim = simulation({}, { seed: 52 });
    const [alice, bob] = await sim.grow(2);
    const leaving = alice.leave();
    // Leave is under way (its first message is in flight): Alice says she is leaving.
    expect((alice as ChordNode).joinState).toBe('leaving');
    await expect(alice.receive(bob.self, { kind: 'Ping' })).resolves.toMatchObject({
      ok: false,
      status: 503,
    });
    await sim.run(leaving);
    await expect(alice.receive(bob.self, { kind: 'Ping' })).resolves.toMatchObject({
      ok: false,
      status: 480,
    });
    await sim.run(alice.leave());
    // Bob is alone now, and owns everything.
    expect(bob.state().tables).toMatchObject({ successors: [], predecessor: null });
    expect((await sim.run(bob.route(idOf('anything')))).owner).toEqual(bob.self);
  });
});
