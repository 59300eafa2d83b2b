import { describe, expect, it } from 'vitest';
import type { PresenceCarrier } from '../../../../src-main/app/presence/presence-carrier.ts';
import { resolvePresenceSettings } from '../../../../src-main/app/presence/presence-settings.ts';
import { PresenceRendezvous } from '../../../../src-main/app/presence/rendezvous.ts';
import { PresenceWatcher } from '../../../../src-main/app/presence/watcher.ts';
import type { NodeRef, OverlayMessage } from '../../../../src-main/overlay/overlay.ts';
import type { PresenceMessage, PresenceNotify } from '../../../../src-main/overlay/xml/index.ts';

const PERIOD = 10_000;
const settings = resolvePresenceSettings({ refreshMs: PERIOD });
const ALICE = 'sip:alice@example.com';
const node = (name: string): NodeRef => ({ id: name.padEnd(40, '0'), url: `sip:${name}.invalid` });
const [rv, phone, laptop, bob, mallory] = ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee'].map(node) as [
  NodeRef,
  NodeRef,
  NodeRef,
  NodeRef,
  NodeRef,
];
const certified: Record<string, string> = {
  [phone.id]: ALICE,
  [laptop.id]: ALICE,
  [mallory.id]: 'sip:mallory@x.org',
};

/** A rendezvous node on a fake clock; what it pushes is delivered to Bob's watcher at once. */
function world() {
  let now = 1_000_000;
  const pushed: PresenceNotify[] = [];
  const carrier = (self: NodeRef): PresenceCarrier => ({
    self,
    now: () => now,
    owner: async () => rv,
    send: async (to: NodeRef, message: PresenceMessage): Promise<OverlayMessage> => {
      const reply =
        message.kind === 'PresenceNotify'
          ? (pushed.push(message), watcher.receive(rv, message))
          : message.kind === 'SubscribePresence'
            ? rendezvous.subscribe(self, message)
            : rendezvous.publish(self, message);
      if (!reply.ok) throw new Error(`${reply.status}`);
      return reply.message;
    },
  });
  const rendezvous = new PresenceRendezvous(
    carrier(rv),
    settings,
    (id) => certified[id],
    () => undefined,
  );
  const watcher = new PresenceWatcher(carrier(bob), settings, () => undefined);
  return {
    rendezvous,
    watcher,
    pushed,
    tick(ms: number) {
      now += ms;
      rendezvous.sweep();
    },
  };
}

const publish = (status: 'online' | 'offline', expires = 20) =>
  ({ kind: 'PublishPresence', aor: ALICE, status, expires }) as const;

describe('the rendezvous node of an AOR, and its watcher', () => {
  it('says unknown to a first subscriber, then offline once a period has passed without a publication', async () => {
    const w = world();
    await w.watcher.watch(ALICE);
    expect(w.watcher.of(ALICE)?.status).toBeUndefined();
    w.tick(PERIOD);
    expect(w.watcher.of(ALICE)?.status).toBeUndefined();
    w.tick(PERIOD / 2);
    expect(w.watcher.of(ALICE)?.status).toBe('offline');
  });

  it('is online while any device publishes, offline when the last withdraws or expires', async () => {
    const w = world();
    await w.watcher.watch(ALICE);
    w.rendezvous.publish(phone, publish('online'));
    expect(w.watcher.of(ALICE)?.status).toBe('online');
    w.tick(1);
    w.rendezvous.publish(laptop, { ...publish('online'), note: 'on the laptop' });
    expect(w.watcher.of(ALICE)).toMatchObject({ status: 'online', note: 'on the laptop' });
    w.rendezvous.publish(laptop, publish('offline', 0));
    expect(w.watcher.of(ALICE)).toEqual({ aor: ALICE, status: 'online' });
    // The phone vanishes: its publication (20 s) lapses, and the sweep pushes.
    w.tick(15_000);
    expect(w.watcher.of(ALICE)?.status).toBe('online');
    await w.watcher.refresh(); // as every period: Bob's subscription outlives the phone's publication
    w.tick(5_000);
    expect(w.watcher.of(ALICE)?.status).toBe('offline');
  });

  it('refuses a publication for someone else’s AOR, and the watcher refuses a push from another node', async () => {
    const w = world();
    expect(w.rendezvous.publish(mallory, publish('online'))).toMatchObject({ ok: false, status: 403 });
    expect(w.rendezvous.publish(bob, publish('online'))).toMatchObject({ ok: false, status: 403 });
    await w.watcher.watch(ALICE);
    const forged = { kind: 'PresenceNotify', aor: ALICE, status: 'online', sequence: 9e15 } as const;
    expect(w.watcher.receive(mallory, forged)).toMatchObject({ ok: false, status: 403 });
    expect(w.watcher.receive(rv, { ...forged, aor: 'sip:carol@example.com' })).toMatchObject({
      ok: false,
      status: 481,
    });
    expect(w.watcher.of(ALICE)?.status).toBeUndefined();
  });

  it('ignores a late notification, and never lets unknown override what it knew', async () => {
    const w = world();
    await w.watcher.watch(ALICE);
    w.rendezvous.publish(phone, publish('online'));
    const online = w.pushed.at(-1)!;
    w.rendezvous.publish(phone, publish('offline', 0));
    expect(w.watcher.of(ALICE)?.status).toBe('offline');
    expect(w.watcher.receive(rv, online)).toMatchObject({ ok: true });
    expect(w.watcher.of(ALICE)?.status).toBe('offline');
    w.watcher.receive(rv, { ...online, status: 'unknown', sequence: online.sequence + 100 });
    expect(w.watcher.of(ALICE)?.status).toBe('offline');
  });
});
