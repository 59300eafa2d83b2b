import { describe, expect, it } from 'vitest';

import type { NodeRef, Overlay, OverlayMessage, OverlayReply } from '../../../../src-main/overlay/overlay.ts';
import { JoinFailedError, NotJoinedError, chord } from '../../../../src-main/overlay/chord/index.ts';
import type { ChordNode } from '../../../../src-main/overlay/chord/chord-node.ts';
import { between, toPosition } from '../../../../src-main/overlay/chord/ring.ts';
import { SimRing } from '../../../../src-main/overlay/sim/sim-ring.ts';
import { FAST, periodsUntilCorrect, simulation, sorted } from './story.ts';

interface Exchange {
  to: NodeRef;
  from: NodeRef;
  request: OverlayMessage;
  reply: OverlayReply;
}

/** Records every request a node answers (a wire tap on its side of the network). */
function tap(sim: SimRing, nodes: Overlay[]): Exchange[] {
  const log: Exchange[] = [];
  for (const node of nodes) {
    sim.network.attach(node.self.url, {
      async receive(from, request) {
        const reply = await node.receive(from, request);
        log.push({ to: node.self, from, request, reply });
        return reply;
      },
    });
  }
  return log;
}

describe('joining, as in Figure 3', () => {
  it('a newcomer asks a bootstrap node, follows its forwards, and settles where its successor says', async () => {
    const sim = simulation({}, { seed: 21 });
    await sim.grow(30);
    await periodsUntilCorrect(sim, 6);
    const log = tap(sim, sim.live());
    const bob = await sim.add();
    const ring = sorted(sim);
    const me = toPosition(bob.self.id);
    const successor = ring.find((n) => toPosition(n.self.id) > me) ?? ring[0];
    const predecessor = [...ring].reverse().find((n) => toPosition(n.self.id) < me) ?? ring[ring.length - 1];
    // A bootstrap node far from Bob's place, so that it has to forward.
    const carol = ring.find(
      (n) =>
        n !== successor &&
        n !== predecessor &&
        !between(toPosition(predecessor.self.id), toPosition(n.self.id), me),
    )!;

    await sim.joinNode(bob, [carol.self]);

    const join = log.filter((e) => e.request.kind === 'BootstrapRegRequest' && e.from.id === bob.self.id);
    // (a) the REGISTER to the bootstrap node, (c) forwards, (b) the success from the successor.
    expect(join[0].to.id).toBe(carol.self.id);
    expect(join.slice(0, -1).every((e) => e.reply.ok && e.reply.message.kind === 'BootstrapForward')).toBe(
      true,
    );
    expect(join.length).toBeGreaterThanOrEqual(2);
    // Each forward names the node asked next.
    for (let k = 0; k + 1 < join.length; k++) {
      const forward = join[k].reply as { ok: true; message: OverlayMessage };
      expect(forward.message.nodeId).toBe(join[k + 1].to.id);
    }
    const last = join[join.length - 1];
    expect(last.to.id).toBe(successor.self.id);
    expect(last.reply).toMatchObject({
      ok: true,
      message: {
        kind: 'BootstrapOK',
        nodeId: successor.self.id,
        successor: { nodeId: successor.self.id, nodeUrl: successor.self.url },
        predecessor: { nodeId: predecessor.self.id, nodeUrl: predecessor.self.url },
        refreshRate: 1,
      },
    });
    // The finger table to start from is listed where its node changes (docs/PROTOCOL.md).
    const table = (last.reply as unknown as { message: { fingerTable: Array<{ nodeId: string }> } }).message
      .fingerTable;
    expect(table.length).toBeGreaterThan(1);
    expect(table.every((f, k) => k === 0 || f.nodeId !== table[k - 1].nodeId)).toBe(true);

    // (d) Bob told his successor (Notify) and the nodes whose fingers should point to him.
    const told = log.filter((e) => e.from.id === bob.self.id);
    expect(told.some((e) => e.request.kind === 'Notify' && e.to.id === successor.self.id)).toBe(true);
    expect(told.some((e) => e.request.kind === 'UpdateFingers' && e.to.id === predecessor.self.id)).toBe(
      true,
    );
    // Right after the join, his neighbours already point at him.
    expect(successor.state().tables).toMatchObject({ predecessor: bob.self });
    expect((predecessor.state().tables as { successors: NodeRef[] }).successors[0]).toEqual(bob.self);
    expect(bob.state().tables).toMatchObject({ predecessor: predecessor.self });
    expect((bob.state().tables as { successors: NodeRef[] }).successors[0]).toEqual(successor.self);
    expect((bob as ChordNode).joinState).toBe('joined');

    // A join costs O(log² N) messages (the paper's figure for Chord).
    const sent = log.filter((e) => e.from.id === bob.self.id).length;
    expect(sent).toBeLessThanOrEqual(Math.log2(31) ** 2);
    expect(await periodsUntilCorrect(sim, 4)).toBeLessThanOrEqual(4);
  });

  it('sends each forwarded REGISTER with one Max-Forwards less', async () => {
    const sim = simulation({}, { seed: 22 });
    await sim.grow(40);
    const bob = await sim.add();
    const sent: number[] = [];
    const transport = sim.network.transport(bob.self);
    // Build Bob again over a transport that notes Max-Forwards.
    const spy = chord(FAST)({
      ...sim.network.components(bob.self),
      transport: {
        send(to, message, options) {
          if (message.kind === 'BootstrapRegRequest') sent.push(options.maxForwards ?? -1);
          return transport.send(to, message, options);
        },
      },
    });
    sim.network.attach(bob.self.url, spy);
    const far = sorted(sim).filter((n) => n !== bob)[0];
    await sim.run(spy.join([far.self]));
    expect(sent[0]).toBe(70);
    expect(sent).toEqual(sent.map((_, k) => 70 - k));
  });

  it('gives up with 483 when the forwards exceed Max-Forwards', async () => {
    const sim = simulation({}, { seed: 23 });
    await sim.grow(40);
    const ring = sorted(sim);
    const strict = chord({ ...FAST, maxForwards: 1 });
    const self = SimRing.ref(23, 1_000);
    const bob = strict(sim.network.components(self));
    sim.network.attach(self.url, bob);
    // The node right after Bob's successor cannot be his successor: it forwards.
    const me = toPosition(self.id);
    const index = ring.findIndex((n) => toPosition(n.self.id) > me);
    const notSuccessor = ring[(index + 5) % ring.length];
    const error = await sim.run(bob.join([notSuccessor.self])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JoinFailedError);
    expect(error).toMatchObject({ status: 483 });
    expect((bob as ChordNode).joinState).toBe('failed');
  });

  it('refuses a NodeID that is already in the ring (409), and a bootstrap node not in the ring says 480', async () => {
    const sim = simulation({}, { seed: 24 });
    await sim.grow(10);
    const alice = sim.pick();
    const impostor = chord(FAST)(
      sim.network.components({ id: alice.self.id, url: 'sip:mallory@10.9.9.9:5060' }),
    );
    sim.network.attach('sip:mallory@10.9.9.9:5060', impostor);
    const bootstrap = sim.live().find((n) => n !== alice)!;
    await expect(sim.run(impostor.join([bootstrap.self]))).rejects.toMatchObject({ status: 409 });

    const idle = await sim.add();
    const newcomer = await sim.add();
    const refused = await sim.run(newcomer.join([idle.self])).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 480, attempts: [{ node: idle.self }] });
    expect(String(refused)).toMatch(/Not in the ring/);
    // With a working node later in the list, the join goes through it.
    await sim.run(newcomer.join([idle.self, alice.self]));
    expect(newcomer.state().joined).toBe(true);
  });

  it('steps around a forwarded-to node that died before anyone noticed', async () => {
    const sim = simulation({}, { seed: 25 });
    await sim.grow(40);
    await periodsUntilCorrect(sim, 6);
    const bob = await sim.add();
    const ring = sorted(sim).filter((n) => n !== bob);
    const me = toPosition(bob.self.id);
    const successor = ring.find((n) => toPosition(n.self.id) > me) ?? ring[0];
    await sim.crash(successor);
    // Nobody has noticed yet: the forwards lead to the dead node; Bob looks around it.
    await sim.joinNode(bob, [ring[(ring.indexOf(successor) + 20) % ring.length].self]);
    expect(bob.state().joined).toBe(true);
    expect(await periodsUntilCorrect(sim, 8)).toBeLessThanOrEqual(8);
  });

  it('answers requests it does not know with 400, and refuses ring work before joining', async () => {
    const sim = simulation({}, { seed: 26 });
    const [alice] = await sim.grow(2);
    await expect(alice.receive(sim.pick().self, { kind: 'Teleport' })).resolves.toEqual({
      ok: false,
      status: 400,
      reason: 'Unknown overlay message Teleport',
    });
    await expect(
      alice.receive(alice.self, { kind: 'FindSuccessor', key: 'not-an-id', avoid: [] }),
    ).resolves.toMatchObject({
      ok: false,
      status: 400,
    });
    const loner = await sim.add();
    await expect(loner.receive(alice.self, { kind: 'Ping' })).resolves.toMatchObject({
      ok: false,
      status: 480,
    });
    await expect(loner.route(alice.self.id)).rejects.toBeInstanceOf(NotJoinedError);
    await expect(
      loner.put({
        aor: 'sip:a@b',
        contact: 'sip:a@c',
        nodeId: alice.self.id,
        certificateFingerprint: 'f',
        expiresAt: 1,
      }),
    ).rejects.toMatchObject({ status: 480 });
  });
});
