import { describe, expect, it } from 'vitest';

import type { OverlayMessage } from '../../../../src-main/overlay/overlay.ts';
import { asOneHop, problems, simulation } from './story.ts';

const ID = 'ab'.repeat(20);

describe('a one-hop node refuses what it cannot read, and goes on', () => {
  it.each<[string, OverlayMessage]>([
    ['an unknown kind', { kind: 'FindSuccessor', key: ID, avoid: [] }],
    ['a kind that is no string', { kind: 42 as unknown as string }],
    ['a Gossip without a digest', { kind: 'Gossip', alive: [], failed: [], left: [] }],
    [
      'a Gossip whose news is not a list',
      { kind: 'Gossip', digest: ID, alive: 'everyone', failed: [], left: [] },
    ],
    [
      'a Gossip naming a member with an uppercase NodeID',
      { kind: 'Gossip', digest: ID, alive: [{ id: ID.toUpperCase(), url: 'sip:x@h', incarnation: 1 }] },
    ],
    [
      'a Gossip with a fractional incarnation',
      { kind: 'Gossip', digest: ID, alive: [{ id: ID, url: 'sip:x@h', incarnation: 1.5 }] },
    ],
    ['a member entry that is null', { kind: 'Gossip', digest: ID, alive: [null] }],
    ['a BootstrapRegRequest without a NodeURL', { kind: 'BootstrapRegRequest', nodeId: ID }],
    ['a PutBinding without a binding', { kind: 'PutBinding', avoid: [] }],
    ['a GetBindings with a numeric AOR', { kind: 'GetBindings', aor: 7, avoid: [] }],
    ['a StoreBindings with a broken binding', { kind: 'StoreBindings', bindings: [{ aor: 'sip:a@b' }] }],
    ['a Leave whose bindings are not a list', { kind: 'Leave', successors: [], bindings: 'all' }],
  ])('%s: 400', async (_name, message) => {
    const sim = simulation({}, { seed: 41 });
    const [alice, bob] = await sim.grow(3);
    const reply = await alice!.receive(bob!.self, message);
    expect(reply).toMatchObject({ ok: false, status: 400 });
    await sim.advance(3_000);
    expect(problems(sim)).toEqual([]);
    expect(alice!.state().tables).not.toHaveProperty('lastRefreshError');
  });

  it('a sender whose NodeID is not one: 400; a BootstrapRegRequest for another NodeID: 403', async () => {
    const sim = simulation({}, { seed: 42 });
    const [alice, bob] = await sim.grow(2);
    const gossip = { kind: 'Gossip', digest: ID, alive: [], failed: [], left: [] };
    expect(await alice!.receive({ id: 'nope', url: 'sip:x@h' }, gossip)).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(
      await alice!.receive(bob!.self, { kind: 'BootstrapRegRequest', nodeId: ID, nodeUrl: 'sip:m@h' }),
    ).toMatchObject({ ok: false, status: 403 });
  });

  it('not a member: 480 before joining and after leaving, 503 while leaving; route() refuses', async () => {
    const sim = simulation({}, { seed: 43 });
    const [alice, bob] = await sim.grow(2);
    const stranger = await sim.add();
    const gossip = { kind: 'Gossip', digest: ID, alive: [], failed: [], left: [] };
    expect(await stranger.receive(alice!.self, gossip)).toMatchObject({ ok: false, status: 480 });
    await expect(stranger.route(ID)).rejects.toThrow(/not a member/);
    const leaving = alice!.leave();
    expect(asOneHop(alice!).joinState).toBe('leaving');
    expect(await alice!.receive(bob!.self, gossip)).toMatchObject({ ok: false, status: 503 });
    await sim.run(leaving);
    expect(await alice!.receive(bob!.self, gossip)).toMatchObject({ ok: false, status: 480 });
    await sim.run(alice!.leave()); // twice is harmless
    expect((await sim.run(bob!.route(ID))).owner).toEqual(bob!.self);
  });
});
