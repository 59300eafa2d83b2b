import { afterEach, describe, expect, it } from 'vitest';
import { identityAlgorithms, joinIdentityLayer } from '../../../src-main/app/identity-layer.ts';
import type { PeerNode } from '../../../src-main/app/peer-node.ts';
import { placeholderSdp } from '../../../src-main/app/calls/index.ts';
import { checkMembers, ownerAmong } from '../../../src-main/overlay/onehop/index.ts';
import { idOf } from '../../../src-main/overlay/chord/index.ts';
import type { Overlay } from '../../../src-main/overlay/overlay.ts';
import { startPeers } from '../../helpers/peers.ts';

type Peers = Awaited<ReturnType<typeof startPeers>>;
type Member = { node: PeerNode; overlay: Overlay };

/**
 * The one-hop identity overlay over real UDP on 127.0.0.1: every membership message is a signed
 * REGISTER carrying `<Overlay layer="identity" algorithm="onehop">`, every node a real PeerNode that
 * logged in to a real login server and picked the algorithm by name.
 */
describe('the one-hop identity overlay over SIP', () => {
  let net: Peers;
  afterEach(() => net?.stop());

  async function overlay(count: number): Promise<Member[]> {
    const names = Array.from({ length: count }, (_, i) => `user${i}`);
    net = await startPeers(names);
    const registry = identityAlgorithms({ refreshMs: 400, hopTimeoutMs: 400 });
    const members: Member[] = [];
    for (const name of names) {
      const node = await net.peer(name);
      members.push({ node, overlay: await joinIdentityLayer(node, { algorithm: 'onehop', registry }) });
    }
    return members;
  }

  const complete = (members: Member[]) => checkMembers(members.map((m) => m.overlay.state()));

  it('ten peers: every table holds every peer, every key is routed to its owner in one hop, calls ring', async () => {
    const members = await overlay(10);
    expect(members.every((m) => m.overlay.algorithm === 'onehop')).toBe(true);
    await expect.poll(() => complete(members), { timeout: 10_000, interval: 100 }).toEqual([]);

    const ids = members.map((m) => m.overlay.self.id);
    for (const [i, m] of members.entries()) {
      for (let k = 0; k < 5; k++) {
        const key = idOf(`key ${i} ${k}`);
        const result = await m.overlay.route(key);
        expect(result.owner.id).toBe(ownerAmong(ids, key));
        expect(result.hops).toBe(result.owner.id === m.overlay.self.id ? 0 : 1);
      }
    }
    // Every device registered its binding at the owner of SHA-1(its AOR); any peer finds it.
    for (const [i, m] of members.entries()) {
      const asker = members[(i + 3) % members.length]!;
      expect(await asker.overlay.get(m.node.identity.aor)).toHaveLength(1);
    }

    // Calls are routed by the one-hop table: each peer calls the peer five places on.
    for (const m of members) m.node.calls.onIncoming = (call) => call.answer(placeholderSdp('127.0.0.1'));
    const outcomes: number[] = [];
    for (const [i, m] of members.entries()) {
      const callee = members[(i + 5) % members.length]!;
      const call = m.node.dial(callee.node.identity.aor, { sdp: placeholderSdp('127.0.0.1') });
      outcomes.push((await call.answered) ? 200 : (await call.ended).status);
      call.hangup();
    }
    expect(outcomes).toEqual(members.map(() => 200));
  }, 60_000);

  it('peers killed without a word are dropped everywhere; one that leaves is dropped at once; bindings survive', async () => {
    const members = await overlay(8);
    await expect.poll(() => complete(members), { timeout: 10_000, interval: 100 }).toEqual([]);

    const leaving = members[4]!;
    await leaving.node.leave();
    const rest = members.filter((m) => m !== leaving);
    expect(
      rest.every(
        (m) =>
          !(m.overlay.state().tables.members as Array<{ id: string }>).some(
            (x) => x.id === leaving.overlay.self.id,
          ),
      ),
    ).toBe(true);

    const killed = [rest[1]!, rest[5]!];
    for (const k of killed) k.node.stop();
    const survivors = rest.filter((m) => !killed.includes(m));
    await expect.poll(() => complete(survivors), { timeout: 15_000, interval: 200 }).toEqual([]);
    for (const [i, m] of survivors.entries()) {
      const asker = survivors[(i + 2) % survivors.length]!;
      expect(await asker.overlay.get(m.node.identity.aor)).toHaveLength(1);
    }
  }, 60_000);
});
