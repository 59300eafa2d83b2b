import { afterEach, describe, expect, it } from 'vitest';
import { identityAlgorithms, joinIdentityLayer } from '../../../src-main/app/identity-layer.ts';
import { waitUntil } from '../../../src-main/app/lab/wait-until.ts';
import type { PeerNode } from '../../../src-main/app/peer-node.ts';
import { joinPresenceLayer, presenceKey } from '../../../src-main/app/presence/index.ts';
import type { PresenceOverlay } from '../../../src-main/app/presence/index.ts';
import { SipOverlayTransport } from '../../../src-main/app/sip-overlay-transport.ts';
import { issueCertificate } from '../../../src-main/keystore/index.ts';
import { checkRing } from '../../../src-main/overlay/chord/index.ts';
import type { Overlay } from '../../../src-main/overlay/overlay.ts';
import { buildP2pXml, PRESENCE_CHORD } from '../../../src-main/overlay/xml/index.ts';
import { startPeers } from '../../helpers/peers.ts';
import { UdpProbe } from '../../helpers/udp-probe.ts';

type Peers = Awaited<ReturnType<typeof startPeers>>;
type Member = { name: string; aor: string; node: PeerNode; identity: Overlay; presence: PresenceOverlay };

/** The presence layer's refresh period in these tests; every deadline below counts periods of it. */
const PERIOD = 1000;
const identityRegistry = () => identityAlgorithms({ refreshMs: 400, hopTimeoutMs: 400 });

/**
 * Presence as a feature layer over real UDP: each peer logged in for real, in the Chord identity
 * ring, and in a second, independent chord ring for presence, whose messages are signed REGISTERs
 * in `<Overlay layer="presence" algorithm="chord">`.
 */
describe('the presence layer: pushed, and independent of the identity layer', () => {
  let net: Peers;
  afterEach(() => net?.stop());

  async function member(name: string): Promise<Member> {
    const node = await net.peer(name);
    const identity = await joinIdentityLayer(node, { registry: identityRegistry() });
    const presence = await joinPresenceLayer(node, {
      settings: { refreshMs: PERIOD, hopTimeoutMs: 500 },
      onError: (e) => process.env.PRESENCE_DEBUG && console.log(name, (e as Error).message),
    });
    return { name, aor: node.identity.aor, node, identity, presence };
  }

  async function network(names: string[], online: string[] = names): Promise<Member[]> {
    net = await startPeers(names);
    const members: Member[] = [];
    for (const name of online) members.push(await member(name));
    const formed = await waitUntil(
      () =>
        checkRing(
          members.map((m) => m.presence.state()),
          { successors: 4 },
        ).length === 0,
      {
        timeoutMs: 30_000,
        pollMs: 100,
      },
    );
    expect(formed, 'the presence ring formed').toBe(true);
    return members;
  }

  /** Waits (30 s at most) until `watcher` sees `aor` in `status`; returns how many periods it took. */
  async function periodsUntil(watcher: Member, aor: string, status: 'online' | 'offline'): Promise<number> {
    const started = performance.now();
    const seen = await waitUntil(() => watcher.presence.watcher.of(aor)?.status === status, {
      timeoutMs: 30_000,
      pollMs: 20,
      onChange: (wake) => watcher.presence.watcher.onChange(wake),
    });
    expect(seen, `${watcher.name} sees ${aor} ${status}`).toBe(true);
    return (performance.now() - started) / PERIOD;
  }

  /** The member whose presence overlay is the rendezvous node of `aor`. */
  async function rendezvousOf(members: Member[], aor: string): Promise<Member> {
    const owner = (await members[0]!.presence.route(presenceKey(aor))).owner;
    return members.find((m) => m.presence.self.id === owner.id)!;
  }

  it('Ann watches four colleagues: each one online, then offline when they leave or crash, within a period (a crash: within the lifetime)', async () => {
    const members = await network(['ann', 'ben', 'cat', 'dan', 'eve']);
    const ann = members[0]!;
    const others = members.slice(1);
    for (const m of others) await ann.presence.watcher.watch(m.aor);
    for (const m of others) {
      expect(await periodsUntil(ann, m.aor, 'online')).toBeLessThanOrEqual(1);
    }
    // A crash of a device that is not its own rendezvous node (that case is the next story).
    const own = await Promise.all(others.map(async (m) => (await rendezvousOf(members, m.aor)) === m));
    const crashing = others.filter((_, i) => !own[i])[0]!;
    const leaving = others.find((m) => m !== crashing)!;
    const staying = others.filter((m) => m !== crashing && m !== leaving);
    // A graceful leave withdraws the publication: pushed at once.
    await leaving.node.leave();
    expect(await periodsUntil(ann, leaving.aor, 'offline')).toBeLessThanOrEqual(1);
    // A crash says nothing: the publication expires (2 periods, swept every quarter) and the
    // rendezvous node pushes.
    crashing.node.stop();
    expect(await periodsUntil(ann, crashing.aor, 'offline')).toBeLessThanOrEqual(2.5);
    for (const m of staying) expect(ann.presence.watcher.of(m.aor)?.status).toBe('online');
  }, 90_000);

  it("when the rendezvous node of Ben's presence crashes, Ann keeps seeing him online, and his leave reaches her through the next node", async () => {
    const members = await network(['ann', 'ben', 'cat', 'dan', 'eve', 'fay']);
    const [ann, ben] = members as [Member, Member];
    // Choose Ben among the others so that his rendezvous node is neither Ann nor Ben himself.
    let watched = ben;
    let rendezvous = await rendezvousOf(members, ben.aor);
    for (const m of members.slice(1)) {
      const r = await rendezvousOf(members, m.aor);
      if (r !== ann && r !== m) {
        watched = m;
        rendezvous = r;
        break;
      }
    }
    expect(rendezvous).not.toBe(ann);
    expect(rendezvous).not.toBe(watched);
    await ann.presence.watcher.watch(watched.aor);
    await periodsUntil(ann, watched.aor, 'online');
    const changes: string[] = [];
    ann.presence.watcher.onChange((p) => changes.push(`${p.aor} ${p.status}`));
    const crashedAt = performance.now();
    rendezvous.node.stop();
    const survivors = members.filter((m) => m !== rendezvous);
    // The ring repairs itself, and Ann and Ben find the next node at their next refresh.
    const moved = await waitUntil(
      () => survivors.some((m) => m.presence.rendezvous.counts().subscriptions > 0),
      { timeoutMs: 30_000, pollMs: 50 },
    );
    expect(moved).toBe(true);
    const recovered = (performance.now() - crashedAt) / PERIOD;
    expect(changes, 'no false offline meanwhile').toEqual([]);
    await waitUntil(() => survivors.some((m) => m.presence.rendezvous.counts().publications > 1), {
      timeoutMs: 30_000,
      pollMs: 50,
    });
    await watched.node.leave();
    expect(await periodsUntil(ann, watched.aor, 'offline')).toBeLessThanOrEqual(1);
    console.log(
      `presence: subscription moved ${recovered.toFixed(1)} periods after its rendezvous node crashed`,
    );
  }, 90_000);

  it('a contact who comes online later is pushed within a period of joining', async () => {
    const names = ['ann', 'ben', 'cat', 'fay'];
    const members = await network(names, ['ann', 'ben', 'cat']);
    const ann = members[0]!;
    const fayAor = `sip:fay@${net.domain}`;
    await ann.presence.watcher.watch(fayAor);
    // Nobody published for her: after a settling period the rendezvous says offline.
    await periodsUntil(ann, fayAor, 'offline');
    const fay = await member('fay');
    expect(await periodsUntil(ann, fay.aor, 'online')).toBeLessThanOrEqual(1);
  }, 90_000);

  it('leaving and rejoining the identity overlay leaves the presence ring, its tables and its subscriptions alone', async () => {
    const members = await network(['ann', 'ben', 'cat']);
    const [ann, ben, cat] = members as [Member, Member, Member];
    await ann.presence.watcher.watch(ben.aor);
    await ann.presence.watcher.watch(cat.aor);
    await periodsUntil(ann, ben.aor, 'online');
    await periodsUntil(ann, cat.aor, 'online');
    const tables = (m: Member) => {
      const { successors, predecessor } = m.presence.state().tables as Record<string, unknown>;
      return { successors, predecessor };
    };
    // Each publication and subscription sits at the node responsible for its key, and those left
    // at a node that owned a key while the ring was forming have expired.
    const owners = await Promise.all(members.map((m) => rendezvousOf(members, m.aor)));
    const expected = members.map((m) => {
      const publications = owners.filter((o) => o === m).length;
      const subscriptions = [ben, cat].filter((w) => owners[members.indexOf(w)] === m).length;
      return { publications, subscriptions };
    });
    const settled = await waitUntil(
      () =>
        members.every((m, i) => {
          const c = m.presence.rendezvous.counts();
          return (
            c.publications === expected[i]!.publications && c.subscriptions === expected[i]!.subscriptions
          );
        }),
      { timeoutMs: 30_000, pollMs: 100 },
    );
    expect(settled).toBe(true);
    // What each node holds as a rendezvous (an entry with neither is housekeeping, dropped later).
    const held = (m: Member) => {
      const { publications, subscriptions } = m.presence.rendezvous.counts();
      return { publications, subscriptions };
    };
    const before = members.map(tables);
    const stored = members.map(held);
    const changes: string[] = [];
    ann.presence.watcher.onChange((p) => changes.push(`${p.aor} ${p.status}`));

    // Everyone leaves the identity ring, then joins it again.
    for (const m of members) await m.identity.leave();
    for (const m of members) m.identity = await joinIdentityLayer(m.node, { registry: identityRegistry() });
    const identityFormed = await waitUntil(
      () =>
        checkRing(
          members.map((m) => m.identity.state()),
          { successors: 4 },
        ).length === 0,
      { timeoutMs: 30_000, pollMs: 100 },
    );
    expect(identityFormed).toBe(true);
    // Two full presence refresh periods later nothing in the presence layer moved.
    await waitUntil(() => false, { timeoutMs: 2 * PERIOD, pollMs: PERIOD });
    expect(members.map(tables)).toEqual(before);
    expect(members.map(held)).toEqual(stored);
    expect(changes).toEqual([]);
    expect(ann.presence.watcher.of(ben.aor)?.status).toBe('online');
    expect(members.every((m) => m.presence.state().joined)).toBe(true);
  }, 90_000);

  it("a node that is not the rendezvous node of Ben's presence answers a subscription with a Redirect naming the one that is, and an unsubscription without one", async () => {
    const members = await network(['ann', 'ben', 'cat', 'dan']);
    const ben = members[1]!;
    const rendezvous = await rendezvousOf(members, ben.aor);
    const elsewhere = members.find((m) => m !== rendezvous)!;
    // Mallory: any certified peer may watch anyone; she asks by hand, without a cache.
    const mallory = await net.impostor(
      (publicKeyPem) =>
        issueCertificate({
          ca: net.ca,
          aor: `sip:mallory@${net.domain}`,
          publicKeyPem,
          validitySeconds: 3600,
        }).certPem,
    );
    const transport = new SipOverlayTransport(
      mallory.stack,
      mallory.trust,
      { aor: `sip:mallory@${net.domain}`, refreshSeconds: () => 60 },
      PRESENCE_CHORD,
    );
    const subscribe = { kind: 'SubscribePresence', aor: ben.aor, expires: 2 };
    const redirected = await transport.send(elsewhere.presence.self, subscribe, { timeoutMs: 2000 });
    expect(redirected).toEqual({ ok: true, message: { kind: 'Redirect', next: rendezvous.presence.self } });
    expect(elsewhere.presence.rendezvous.counts().subscriptions).toBe(0);
    const answered = await transport.send(rendezvous.presence.self, subscribe, { timeoutMs: 2000 });
    expect(answered).toMatchObject({ ok: true, message: { kind: 'PresenceNotify', aor: ben.aor } });
    const unsubscribed = await transport.send(
      elsewhere.presence.self,
      { ...subscribe, expires: 0 },
      { timeoutMs: 2000 },
    );
    expect(unsubscribed).toMatchObject({ ok: true, message: { kind: 'PresenceNotify' } });
  }, 90_000);

  it('a PresenceNotify signed by a peer that is not the rendezvous node, or not signed at all, is refused; garbage does not stop the node', async () => {
    const members = await network(['ann', 'ben']);
    const [ann, ben] = members as [Member, Member];
    await ann.presence.watcher.watch(ben.aor);
    await periodsUntil(ann, ben.aor, 'online');
    const forged = { kind: 'PresenceNotify', aor: ben.aor, status: 'offline', sequence: Date.now() * 2 };

    // Mallory holds a certificate the real CA signed, for her own AOR: valid, but she is not where
    // Ann subscribed.
    const mallory = await net.impostor(
      (publicKeyPem) =>
        issueCertificate({
          ca: net.ca,
          aor: `sip:mallory@${net.domain}`,
          publicKeyPem,
          validitySeconds: 3600,
        }).certPem,
    );
    const transport = new SipOverlayTransport(
      mallory.stack,
      mallory.trust,
      { aor: `sip:mallory@${net.domain}`, refreshSeconds: () => 60 },
      PRESENCE_CHORD,
    );
    const reply = await transport.send(ann.presence.self, forged, { timeoutMs: 2000 });
    expect(reply).toMatchObject({ ok: false, status: 403 });

    // Unsigned, and then malformed bodies, straight onto the wire.
    const probe = await UdpProbe.open();
    try {
      const register = (callId: string, body: string) =>
        `REGISTER ${ann.node.uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${probe.port};branch=z9hG4bK${callId}\r\n` +
        `From: <sip:anon@${net.domain}>;tag=9\r\nTo: <sip:anon@${net.domain}>\r\nCall-ID: ${callId}\r\nCSeq: 1 REGISTER\r\n` +
        `Max-Forwards: 70\r\nContent-Type: application/p2p+xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      const unsigned = buildP2pXml({
        overlays: [
          {
            ...PRESENCE_CHORD,
            messages: [{ kind: 'PresenceNotify', aor: ben.aor, status: 'offline', sequence: 1 }],
          },
        ],
      });
      await probe.send(register('unsigned1', unsigned), ann.node.stack.endpoint.port);
      const refused = await probe.next((t) => t.includes('unsigned1') && !t.startsWith('SIP/2.0 100'));
      expect(refused.split('\r\n')[0]).toMatch(/^SIP\/2\.0 4\d\d /);
      for (const [i, body] of [
        '<P2Pxml version="1" xmlns="urn:chordline:p2p:1"><Overlay layer="presence" algorithm="chord"><PresenceNotify><AOR>nope</AOR></PresenceNotify></Overlay></P2Pxml>',
        '<P2Pxml version="1" xmlns="urn:chordline:p2p:1"><Overlay layer="presence" algorithm="chord"><PublishPresence>',
        '\u0000\u0001 not xml',
      ].entries()) {
        await probe.send(register(`bad${i}`, body), ann.node.stack.endpoint.port);
        const answer = await probe.next((t) => t.includes(`bad${i}`) && !t.startsWith('SIP/2.0 100'));
        expect(answer.split('\r\n')[0]).toMatch(/^SIP\/2\.0 4\d\d /);
      }
    } finally {
      probe.close();
    }
    expect(ann.presence.watcher.of(ben.aor)?.status).toBe('online');
    // Still serving: Ben's crash is still noticed.
    ben.node.stop();
    await periodsUntil(ann, ben.aor, 'offline');
  }, 90_000);
});
