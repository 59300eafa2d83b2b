import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneCore } from '../../../src-main/phone/phone-core.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';
import { nextEvent } from './phone-events.ts';
import { openPhone, twoPhones } from './two-phones.ts';

const ALICE = 'sip:alice@example.com';
const BOB = 'sip:bob@example.com';

/** A phone as the desktop app opens one: its own data folder, its own SIP port. */

/**
 * Two desktop phones on one computer, for real: Alice's phone creates the network (it runs the
 * login server and the first node of the ring), Bob's joins it with the login server's
 * address; then they find each other, call, and remember it all across a restart.
 */
describe('the phone core: create a network, join it, call, and come back', () => {
  const dirs = tempDirs();
  const aliceDir = dirs.make('chordline-phone-alice-');
  let alice: PhoneCore;
  let bob: PhoneCore;

  beforeAll(async () => {
    ({ alice, bob } = await twoPhones(aliceDir, dirs.make('chordline-phone-bob-'), {
      domain: 'Example.com',
    }));
  }, 60_000);

  afterAll(async () => {
    await bob?.stop();
    await alice?.stop();
    dirs.cleanup();
  });

  it('a phone with an empty data folder opens on the welcome screen', async () => {
    const fresh = await openPhone(dirs.make('chordline-phone-fresh-'));
    try {
      expect((await fresh.invoke('appStatus')).phase).toBe('welcome');
    } finally {
      await fresh.stop();
    }
  });

  it('Alice hosts the network: her status says so, and the domain is written in lowercase', async () => {
    const status = await alice.invoke('appStatus');
    expect(status).toMatchObject({
      phase: 'ready',
      problem: null,
      identity: { aor: ALICE },
      network: { domain: 'example.com', hosted: true },
    });
    expect(status.identity!.nodeId).toMatch(/^[0-9a-f]{40}$/);
    // The echo test's account is the network's own: not listed among the people, not removable.
    expect((await alice.invoke('listUsers')).map((u) => u.aor).sort()).toEqual([ALICE, BOB]);
    await expect(alice.invoke('removeUser', 'echo')).rejects.toMatchObject({
      message: /echo test, not a person/,
    });
    await expect(bob.invoke('addUser', { user: 'eve', password: 'x' })).rejects.toMatchObject({
      name: 'PhoneError',
      code: 'not-hosting',
    });
  });

  it('Bob adds Alice as a contact and sees her online', async () => {
    const online = nextEvent(bob, 'contactsChanged', (list) =>
      list.some((c) => c.aor === ALICE && c.online === true),
    );
    const saved = await bob.invoke('saveContact', { name: 'Alice', aor: 'alice@example.com' });
    expect(saved).toMatchObject({ name: 'Alice', aor: ALICE });
    await online;
    expect(await bob.invoke('listContacts')).toEqual([{ ...saved, online: true }]);
    // The lookup that answered shows on Bob's network screen.
    const ring = await bob.invoke('ringState');
    expect(ring.lookups[0]).toMatchObject({ hops: expect.any(Number) });
  });

  it("the ring view: in the ring of Alice, Bob and the echo test, each phone is among the other's successors", async () => {
    const [a, b] = [await alice.invoke('appStatus'), await bob.invoke('appStatus')];
    // Each phone learns of the other at its next refresh; the ring view says so when it does.
    let formed = false;
    const among = (ring: { successors: Array<{ id: string }> }, id: string) =>
      ring.successors.slice(0, 2).some((s) => s.id === id);
    for (let i = 0; i < 40 && !formed; i++) {
      const [ra, rb] = [await alice.invoke('ringState'), await bob.invoke('ringState')];
      formed = among(ra, b.identity!.nodeId) && among(rb, a.identity!.nodeId);
      if (!formed) await nextEvent(alice, 'ringChanged', () => true, 3000).catch(() => undefined);
    }
    expect(formed).toBe(true);
    const ring = await alice.invoke('ringState');
    expect(ring.self!.id).toBe(a.identity!.nodeId);
    expect(ring.knownPeers.map((p) => p.aor)).toContain(BOB);
  });

  it('Bob calls Alice: her phone rings, she answers, both are in the call, Bob hangs up, both histories have it', async () => {
    const ringing = nextEvent(
      alice,
      'callChanged',
      (c) => c.state === 'ringing' && c.direction === 'incoming',
    );
    const call = await bob.invoke('dial', 'alice');
    expect(call).toMatchObject({ direction: 'outgoing', peer: ALICE, peerName: 'Alice' });
    const incoming = await ringing;
    // The caller's identity as its certificate proves it.
    expect(incoming).toMatchObject({ id: call.id, peer: BOB, peerName: null });
    expect((await alice.invoke('listCalls')).map((c) => c.id)).toEqual([call.id]);

    const bobActive = nextEvent(bob, 'callChanged', (c) => c.id === call.id && c.state === 'active');
    const aliceActive = nextEvent(alice, 'callChanged', (c) => c.id === call.id && c.state === 'active');
    await alice.invoke('answer', call.id);
    await Promise.all([bobActive, aliceActive]);

    const bobHistory = nextEvent(bob, 'historyChanged', (h) => h.some((e) => e.id === call.id));
    const aliceHistory = nextEvent(alice, 'historyChanged', (h) => h.some((e) => e.id === call.id));
    const aliceEnded = nextEvent(alice, 'callChanged', (c) => c.id === call.id && c.state === 'ended');
    await bob.invoke('hangup', call.id);
    expect((await aliceEnded).end).toMatchObject({ by: 'remote' });
    await Promise.all([bobHistory, aliceHistory]);

    const [mine] = await bob.invoke('listHistory');
    expect(mine).toMatchObject({
      id: call.id,
      direction: 'outgoing',
      peer: ALICE,
      peerName: 'Alice',
      missed: false,
    });
    expect(mine.answeredAt).toEqual(expect.any(Number));
    const [hers] = await alice.invoke('listHistory');
    expect(hers).toMatchObject({ id: call.id, direction: 'incoming', peer: BOB, missed: false });
    expect(await alice.invoke('listCalls')).toEqual([]);
  });

  it("the UI's session descriptions travel through the core: offer, answer, and hold with a new offer", async () => {
    const sdp = (who: string, direction: string, version = 1) =>
      [
        'v=0',
        `o=- 42 ${version} IN IP4 127.0.0.1`,
        's=-',
        't=0 0',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        `a=ice-ufrag:${who}`,
        `a=fingerprint:sha-256 ${'AB:'.repeat(31)}AB`,
        `a=${direction}`,
        '',
      ].join('\r\n');
    const ringing = nextEvent(alice, 'callChanged', (c) => c.state === 'ringing');
    const call = await bob.invoke('dial', { aor: 'alice', sdp: sdp('bob', 'sendrecv') });
    // Alice's UI gets Bob's offer with the ringing call, verified as Bob's.
    expect((await ringing).remoteSdp).toBe(sdp('bob', 'sendrecv'));

    const bobActive = nextEvent(bob, 'callChanged', (c) => c.id === call.id && c.state === 'active');
    await alice.invoke('answer', { callId: call.id, sdp: sdp('alice', 'sendrecv') });
    expect(await bobActive).toMatchObject({ remoteSdp: sdp('alice', 'sendrecv'), hold: 'none' });

    // Bob holds: his UI's new offer goes out as a re-INVITE; Alice's UI answers the mediaOffer.
    const offered = nextEvent(alice, 'mediaOffer', (o) => o.callId === call.id);
    const held = bob.invoke('updateMedia', { callId: call.id, sdp: sdp('bob', 'sendonly', 2) });
    const offer = await offered;
    expect(offer.sdp).toBe(sdp('bob', 'sendonly', 2));
    const aliceHeld = nextEvent(alice, 'callChanged', (c) => c.id === call.id && c.hold === 'remote');
    await alice.invoke('answerMedia', { offerId: offer.offerId, sdp: sdp('alice', 'recvonly', 2) });
    expect(await held).toEqual({ sdp: sdp('alice', 'recvonly', 2) });
    await aliceHeld;
    expect((await bob.invoke('listCalls')).find((c) => c.id === call.id)).toMatchObject({ hold: 'local' });
    // An offer answered twice (or too late) is over.
    await expect(
      alice.invoke('answerMedia', { offerId: offer.offerId, sdp: sdp('a', 'recvonly') }),
    ).rejects.toMatchObject({ code: 'no-such-call' });

    // Alice's UI cannot take the next one: Bob's change is refused, and the call goes on.
    const second = nextEvent(alice, 'mediaOffer', (o) => o.callId === call.id);
    const resumed = bob.invoke('updateMedia', { callId: call.id, sdp: sdp('bob', 'sendrecv', 3) });
    await alice.invoke('answerMedia', { offerId: (await second).offerId });
    await expect(resumed).rejects.toMatchObject({ code: 'media-refused', message: /refused the change/ });

    const ended = nextEvent(alice, 'callChanged', (c) => c.id === call.id && c.state === 'ended');
    await bob.invoke('hangup', call.id);
    await ended;
  });

  it('the network Alice created has an echo test at sip:echo@DOMAIN: it answers, and refuses a call without media', async () => {
    const { network } = await bob.invoke('appStatus');
    expect(network?.echoTest).toBe('sip:echo@example.com');
    // The echo peer joins the ring in the background, as soon as Alice's phone is ready.
    await expect
      .poll(
        async () => {
          const call = await bob.invoke('dial', network!.echoTest);
          const ended = await nextEvent(bob, 'callChanged', (c) => c.id === call.id && c.state === 'ended');
          return ended.end?.status;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(488);
  });

  it('a call Alice declines is a missed call in her history', async () => {
    const ringing = nextEvent(alice, 'callChanged', (c) => c.state === 'ringing');
    const call = await bob.invoke('dial', ALICE);
    await ringing;
    const bobEnded = nextEvent(bob, 'callChanged', (c) => c.id === call.id && c.state === 'ended');
    const aliceHistory = nextEvent(alice, 'historyChanged', (h) => h[0]?.id === call.id);
    await alice.invoke('decline', call.id);
    expect((await bobEnded).end).toMatchObject({ status: 603 });
    expect((await aliceHistory)[0]).toMatchObject({ id: call.id, missed: true, status: 603 });
  });

  it('commands with bad arguments, or at the wrong time, are refused with a PhoneError a person can read', async () => {
    await expect(bob.invoke('saveContact', { name: 'Carol', aor: 'carol' })).rejects.toMatchObject({
      name: 'PhoneError',
      code: 'invalid-input',
      message: expect.stringContaining('sip:alice@example.com'),
    });
    await expect(bob.invoke('dial', 'sip:bob@example.com')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(bob.invoke('answer', 'no-such-call')).rejects.toMatchObject({ code: 'no-such-call' });
    await expect(
      bob.invoke('joinNetwork', { loginServer: 'x', user: 'bob', password: 'p' }),
    ).rejects.toMatchObject({ code: 'already-in-network' });
    // Whatever a page sends, the core answers with a PhoneError and goes on.
    const junk: unknown[] = [null, 42, 'text', [], { name: {} }, { __proto__: { aor: 1 } }];
    for (const arg of junk) {
      await expect(
        (bob.invoke as (name: string, ...args: unknown[]) => Promise<unknown>)('saveContact', arg),
      ).rejects.toMatchObject({ name: 'PhoneError', code: 'invalid-input' });
    }
    await expect(
      (bob.invoke as (name: string, ...args: unknown[]) => Promise<unknown>)('format the disk'),
    ).rejects.toMatchObject({ code: 'unknown-command' });
    expect((await bob.invoke('appStatus')).phase).toBe('ready');
  });

  it('exports Alice’s identity as a PKCS#12 file that openssl reads, and as PEM', async () => {
    const p12 = await alice.invoke('exportPkcs12', { password: 'export-pw' });
    expect(p12).toMatchObject({ fileName: 'alice@example.com.p12', mimeType: 'application/x-pkcs12' });
    const file = join(dirs.make('chordline-export-'), p12.fileName);
    writeFileSync(file, Buffer.from(p12.base64, 'base64'));
    const certificate = execFileSync(
      'openssl',
      ['pkcs12', '-in', file, '-passin', 'pass:export-pw', '-nokeys', '-clcerts'],
      { stdio: 'pipe' },
    ).toString();
    expect(certificate).toMatch(/subject=CN\s*=\s*alice@example\.com/);
    expect(certificate).toContain('friendlyName: sip:alice@example.com');

    const pem = Buffer.from((await alice.invoke('exportPem')).base64, 'base64').toString();
    expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(pem).not.toMatch(/PRIVATE KEY/);
  });

  it('the identity moves to another computer as PKCS#12: the new phone holds the same NodeID', async () => {
    const p12 = await alice.invoke('exportPkcs12', { password: 'move-pw' });
    const laptop = await openPhone(dirs.make('chordline-phone-laptop-'));
    try {
      await expect(
        laptop.invoke('importPkcs12', { base64: p12.base64, password: 'nope' }),
      ).rejects.toMatchObject({
        code: 'wrong-password',
      });
      await expect(laptop.invoke('importPkcs12', { base64: 'AAAA', password: '' })).rejects.toMatchObject({
        code: 'bad-file',
        message: /not a PKCS#12/,
      });
      const identity = await laptop.invoke('importPkcs12', { base64: p12.base64, password: 'move-pw' });
      expect(identity).toMatchObject({
        aor: ALICE,
        nodeId: (await alice.invoke('appStatus')).identity!.nodeId,
      });
      // It does not know where the network is: the person joins it (the key is kept).
      expect(await laptop.invoke('appStatus')).toMatchObject({ phase: 'welcome', identity });
      await expect(
        alice.invoke('importPkcs12', { base64: p12.base64, password: 'move-pw' }),
      ).rejects.toMatchObject({
        code: 'already-in-network',
      });
    } finally {
      await laptop.stop();
    }
  });

  it('Alice’s phone restarts from its folder: ready again, same identity, contacts and history kept, and Bob reaches her', async () => {
    await alice.invoke('saveContact', { name: 'Bob', aor: BOB });
    const before = await alice.invoke('appStatus');
    const historyBefore = await alice.invoke('listHistory');
    await alice.stop();
    await alice.stop(); // twice is harmless

    alice = await openPhone(aliceDir);
    const after = await alice.whenSettled();
    expect(after).toMatchObject({ phase: 'ready', problem: null, network: { hosted: true } });
    expect(after.identity!.nodeId).toBe(before.identity!.nodeId);
    expect(after.network!.loginServer).toBe(before.network!.loginServer);
    // She came back through the peers she last saw: Bob is among her successors again.
    const bobId = (await bob.invoke('appStatus')).identity!.nodeId;
    const bobFollows = async () =>
      (await alice.invoke('ringState')).successors.slice(0, 2).some((s) => s.id === bobId);
    let rejoined = await bobFollows();
    for (let i = 0; i < 20 && !rejoined; i++) {
      await nextEvent(alice, 'ringChanged', () => true, 3000).catch(() => undefined);
      rejoined = await bobFollows();
    }
    expect(rejoined).toBe(true);
    expect((await alice.invoke('listContacts')).map((c) => c.name)).toEqual(['Bob']);
    expect(await alice.invoke('listHistory')).toEqual(historyBefore);
    expect((await alice.invoke('getSettings')).refreshSeconds).toBe(2);

    const ringing = nextEvent(alice, 'callChanged', (c) => c.state === 'ringing', 30_000);
    const call = await bob.invoke('dial', ALICE);
    expect(await ringing).toMatchObject({ id: call.id, peer: BOB, peerName: 'Bob' });
    await bob.invoke('hangup', call.id);
  }, 60_000);
});

describe('the phone core: joining goes wrong, in plain words', () => {
  const dirs = tempDirs();
  let host: PhoneCore;
  let loginServer: string;

  beforeAll(async () => {
    host = await openPhone(dirs.make('chordline-phone-host-'));
    const status = await host.invoke('createNetwork', {
      domain: 'example.org',
      user: 'host',
      password: 'host-pw',
    });
    loginServer = status.network!.loginServer;
    await host.invoke('addUser', { user: 'carol', password: 'carol-pw' });
  }, 30_000);

  afterAll(async () => {
    await host?.stop();
    dirs.cleanup();
  });

  it('a wrong password: the phone says so and stays on the welcome screen, ready to try again', async () => {
    const carol = await openPhone(dirs.make('chordline-phone-carol-'));
    try {
      await expect(
        carol.invoke('joinNetwork', { loginServer, user: 'carol', password: 'Carol-pw' }),
      ).rejects.toMatchObject({
        name: 'PhoneError',
        code: 'wrong-password',
        message: /Wrong password for sip:carol@example\.org/,
      });
      expect(await carol.invoke('appStatus')).toMatchObject({
        phase: 'welcome',
        problem: expect.stringMatching(/Wrong password/),
      });
      const joined = await carol.invoke('joinNetwork', { loginServer, user: 'carol', password: 'carol-pw' });
      expect(joined).toMatchObject({
        phase: 'ready',
        problem: null,
        identity: { aor: 'sip:carol@example.org' },
      });
    } finally {
      await carol.stop();
    }
  });

  it('a removed user: the certificate is revoked, and the phone says so when it comes back', async () => {
    const folder = dirs.make('chordline-phone-erin-');
    await host.invoke('addUser', { user: 'erin', password: 'erin-pw' });
    let erin = await openPhone(folder);
    await erin.invoke('joinNetwork', { loginServer, user: 'erin', password: 'erin-pw' });
    await erin.stop();

    await host.invoke('removeUser', 'erin');
    erin = await openPhone(folder);
    try {
      expect(await erin.whenSettled()).toMatchObject({
        phase: 'failed',
        problem: expect.stringMatching(/certificate was revoked .*Ask the network's operator/),
      });
      await expect(
        erin.invoke('joinNetwork', { loginServer, user: 'erin', password: 'erin-pw' }),
      ).rejects.toMatchObject({
        code: 'unknown-user',
        message: /has no user sip:erin@example\.org/,
      });
      expect((await erin.invoke('appStatus')).phase).toBe('failed');
    } finally {
      await erin.stop();
    }
  });

  it('an unknown user and an unreachable login server are told apart', async () => {
    const quiet = createSocket('udp4');
    await new Promise<void>((resolve) => quiet.bind(0, '127.0.0.1', resolve));
    const dan = await openPhone(dirs.make('chordline-phone-dan-'), { loginTimeoutMs: 500 });
    try {
      await expect(
        dan.invoke('joinNetwork', { loginServer, user: 'dan', password: 'pw' }),
      ).rejects.toMatchObject({
        code: 'unknown-user',
        message: /no user sip:dan@example\.org/,
      });
      await expect(
        dan.invoke('joinNetwork', {
          loginServer: `127.0.0.1:${quiet.address().port}`,
          user: 'dan',
          password: 'pw',
        }),
      ).rejects.toMatchObject({ code: 'unreachable', message: /did not answer/ });
      expect((await dan.invoke('appStatus')).phase).toBe('welcome');
      // One thing at a time: a second join while the first waits is 'busy', not a race.
      const slow = dan.invoke('joinNetwork', {
        loginServer: `127.0.0.1:${quiet.address().port}`,
        user: 'dan',
        password: 'pw',
      });
      await expect(
        dan.invoke('joinNetwork', { loginServer, user: 'dan', password: 'pw' }),
      ).rejects.toMatchObject({
        code: 'busy',
      });
      await expect(slow).rejects.toMatchObject({ code: 'unreachable' });
    } finally {
      quiet.close();
      await dan.stop();
    }
  });
});
