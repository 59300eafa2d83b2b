import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeholderSdp } from '../../../src-main/app/calls/index.ts';
import type { Call } from '../../../src-main/app/calls/index.ts';
import { aorKey } from '../../../src-main/overlay/overlay.ts';
import { identityAlgorithms, joinIdentityLayer } from '../../../src-main/app/identity-layer.ts';
import { startPeers } from '../../helpers/peers.ts';
import { joinRingMembers } from '../../helpers/ring-members.ts';
import type { Member } from '../../helpers/ring-members.ts';

/**
 * Calls over the identity overlay with real peers on 127.0.0.1: every INVITE is signed, routed
 * hop by hop through the finger tables toward SHA-1 of the callee's AOR, verified at every hop,
 * and answered by the callee's own signature.
 */
describe('calls routed through the Chord ring', () => {
  let net: Awaited<ReturnType<typeof startPeers>>;
  let members: Member[];
  const names = Array.from({ length: 12 }, (_, i) => `user${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    net = await startPeers([...names, 'dana']);
    members = await joinRingMembers(net, names);
  }, 60_000);
  afterAll(() => net?.stop());

  const sdpOf = (m: Member) =>
    placeholderSdp('127.0.0.1', Number.parseInt(m.node.identity.nodeId.slice(0, 8), 16));
  const member = (name: string) => members.find((m) => m.name === name)!;

  /** The peers an INVITE from `from` to `to` crosses, following every node's own next hop. */
  function pathOf(from: Member, to: Member): Member[] {
    const key = aorKey(to.node.identity.aor);
    const path: Member[] = [];
    let at = from;
    for (let i = 0; i < 20; i++) {
      const hop = at.overlay.nextHop(key);
      if (hop.kind === 'here') return path.length === 0 ? [at] : path;
      if (hop.kind === 'none') throw new Error('no route');
      at = members.find((m) => m.overlay.self.id === hop.node.id)!;
      path.push(at);
    }
    throw new Error('route loops');
  }
  const between = (from: Member, to: Member) => pathOf(from, to).filter((m) => m !== from && m !== to);

  /** The pair of peers whose calls cross the most peers in between. */
  function farthestPair(): [Member, Member] {
    let best: [Member, Member] = [members[0], members[1]];
    for (const a of members)
      for (const b of members) if (a !== b && between(a, b).length > between(...best).length) best = [a, b];
    return best;
  }

  const proxiedBy = (ms: Member[]) => ms.map((m) => m.node.routing.proxied + m.node.routing.forked);

  it('a call between two peers that are not neighbours crosses two or more peers and completes', async () => {
    const [alice, bob] = farthestPair();
    const middle = between(alice, bob);
    expect(middle.length).toBeGreaterThanOrEqual(2);
    const before = proxiedBy(middle);

    let incoming: Call | undefined;
    bob.node.calls.onIncoming = (call) => {
      incoming = call;
      call.answer(sdpOf(bob));
    };
    const call = alice.node.dial(bob.node.identity.aor, { sdp: sdpOf(alice) });
    const states: string[] = [];
    call.onChange((c) => states.push(c.state));
    expect(await call.answered).toBe(true);

    expect(states).toEqual(['ringing', 'active']);
    // The SDP travelled untouched both ways, and the callee saw who called, by certificate.
    expect(incoming?.remoteSdp).toBe(sdpOf(alice));
    expect(call.remoteSdp).toBe(sdpOf(bob));
    expect(incoming?.peer).toBe(alice.node.identity.aor);
    // The callee counted the peers in between, and each of them really proxied the INVITE.
    expect(call.hops).toBe(middle.length);
    expect(proxiedBy(middle).map((n, i) => n - before[i])).toEqual(middle.map(() => 1));

    // The callee's 200 is confirmed by the caller's ACK; BYE from the caller ends both sides.
    await expect.poll(() => incoming?.state).toBe('active');
    call.hangup();
    expect(await incoming!.ended).toMatchObject({ status: 200, by: 'remote' });
    expect(await call.ended).toMatchObject({ status: 200, by: 'local' });
    expect(call.snapshot().setupMs).toBeGreaterThan(0);
  });

  it('the callee can hang up too, and a new call between the same peers works again', async () => {
    const [alice, bob] = [member('user03'), member('user08')];
    bob.node.calls.onIncoming = (call) => call.answer(sdpOf(bob));
    for (let round = 0; round < 2; round++) {
      let incoming: Call | undefined;
      bob.node.calls.onIncoming = (call) => {
        incoming = call;
        call.answer(sdpOf(bob));
      };
      const call = alice.node.dial(bob.node.identity.aor, { sdp: sdpOf(alice) });
      expect(await call.answered).toBe(true);
      await expect.poll(() => incoming?.state).toBe('active');
      incoming!.hangup();
      expect(await call.ended).toMatchObject({ status: 200, by: 'remote' });
      expect(alice.node.calls.list()).toEqual([]);
    }
  });

  it('nobody registered under an address: 404, said by the node responsible for it', async () => {
    const call = member('user01').node.dial(`sip:nobody@${net.domain}`, { sdp: sdpOf(member('user01')) });
    expect(await call.ended).toMatchObject({ status: 404, by: 'network' });
    expect(call.end?.reason).toMatch(/nobody is registered as sip:nobody@/);
  });

  it('a callee who declines: the caller hears 603, and a busy one 486', async () => {
    const [alice, bob] = [member('user02'), member('user09')];
    bob.node.calls.onIncoming = (call) => call.reject(603, 'Decline');
    const declined = alice.node.dial(bob.node.identity.aor, { sdp: sdpOf(alice) });
    expect(await declined.ended).toMatchObject({ status: 603, by: 'remote' });
    bob.node.calls.onIncoming = (call) => call.reject(486, 'Busy Here');
    const busy = alice.node.dial(bob.node.identity.aor, { sdp: sdpOf(alice) });
    expect(await busy.ended).toMatchObject({ status: 486, reason: 'Busy Here (busy)' });
  });

  it('hanging up while it rings sends CANCEL: both sides end with 487', async () => {
    const [alice, bob] = farthestPair();
    let incoming: Call | undefined;
    bob.node.calls.onIncoming = (call) => (incoming = call); // let it ring
    const call = alice.node.dial(bob.node.identity.aor, { sdp: sdpOf(alice) });
    await expect.poll(() => call.state).toBe('ringing');
    call.hangup();
    expect(await call.ended).toMatchObject({ status: 487, by: 'local' });
    expect(await incoming!.ended).toMatchObject({ status: 487, by: 'remote' });
  });

  it('nobody answering in time ends the call with 408 (the caller cancels)', async () => {
    const [alice, bob] = [member('user04'), member('user10')];
    bob.node.calls.onIncoming = () => undefined;
    const call = alice.node.dial(bob.node.identity.aor, { sdp: sdpOf(alice), ringTimeoutMs: 2000 });
    expect(await call.ended).toMatchObject({ status: 408, reason: 'Request Timeout: no answer within 2 s' });
  });

  it('Max-Forwards bounds the path: too few for the peers in between gives 483', async () => {
    const [alice, bob] = farthestPair();
    bob.node.calls.onIncoming = (call) => call.answer(sdpOf(bob));
    // The caller's own proxy takes one; the first peer in between another.
    const call = alice.node.dial(bob.node.identity.aor, { sdp: sdpOf(alice), maxForwards: 2 });
    expect(await call.ended).toMatchObject({ status: 483 });
  });

  it('a user with two devices: both ring, the first to answer takes the call', async () => {
    const dana1 = await net.peer('dana');
    const dana2 = await net.peer('dana');
    const registry = identityAlgorithms({ refreshMs: 400, hopTimeoutMs: 400 });
    const bootstrap = [members[0].overlay.self];
    await joinIdentityLayer(dana1, { registry, bootstrap });
    await joinIdentityLayer(dana2, { registry, bootstrap });
    // dana2 answers once both devices ring (whichever rings last), so that both really rang.
    const rang: string[] = [];
    let second: Call | undefined;
    const ring = (name: string, call: Call) => {
      rang.push(name);
      if (name === 'dana2') second = call;
      if (rang.length === 2) second?.answer(placeholderSdp('127.0.0.1', 2));
    };
    dana1.calls.onIncoming = (call) => ring('dana1', call);
    dana2.calls.onIncoming = (call) => ring('dana2', call);
    const alice = member('user05');
    await expect
      .poll(async () => (await alice.overlay.get(dana1.identity.aor)).length, { timeout: 10_000 })
      .toBe(2);
    const call = alice.node.dial(dana1.identity.aor, { sdp: sdpOf(alice) });
    expect(await call.answered).toBe(true);
    expect(rang.sort()).toEqual(['dana1', 'dana2']);
    // The device that did not answer stops ringing: the proxy cancelled its branch.
    await expect.poll(() => dana1.calls.list().length).toBe(0);
    call.hangup();
    await call.ended;
  });

  it('registered, but the device is gone: 480', async () => {
    const [alice, gone] = [member('user06'), member('user11')];
    gone.node.stop(); // crash: its binding stays until it expires
    members = members.filter((m) => m !== gone);
    const call = alice.node.dial(gone.node.identity.aor, { sdp: sdpOf(alice) });
    expect(await call.ended).toMatchObject({ status: 480 });
    expect(call.end?.reason).toMatch(/registered but its device did not answer/);
  }, 20_000);
});
