import { describe, expect, it } from 'vitest';

import { BindingStore } from '../../../../src-main/overlay/chord/binding-store.ts';
import type { StoredBinding } from '../../../../src-main/overlay/chord/chord-messages.ts';
import { idOf, toPosition } from '../../../../src-main/overlay/chord/ring.ts';

const T = 1_000_000;
const binding = (
  contact: string,
  writtenAt: number,
  expiresAt: number,
  aor = 'sip:bob@atlanta.com',
): StoredBinding => ({
  aor,
  contact,
  nodeId: idOf(contact),
  certificateFingerprint: 'c'.repeat(64),
  expiresAt,
  writtenAt,
});

describe('the bindings a node holds', () => {
  it('keeps one entry per device of an AOR', () => {
    const store = new BindingStore(60_000);
    store.merge(binding('sip:bob@10.0.0.2:5060', T, T + 3_600_000));
    store.merge(binding('sip:bob@10.0.0.3:5060', T, T + 3_600_000));
    expect(store.live('sip:bob@atlanta.com', T).map((b) => b.contact)).toEqual([
      'sip:bob@10.0.0.2:5060',
      'sip:bob@10.0.0.3:5060',
    ]);
  });

  it('lets the newer write win whatever order copies arrive in', () => {
    const older = binding('sip:bob@10.0.0.2:5060', T, T + 60_000);
    const newer = binding('sip:bob@10.0.0.2:5060', T + 10, T + 120_000);
    const a = new BindingStore(60_000);
    const b = new BindingStore(60_000);
    expect(a.merge(older)).toBe(true);
    expect(a.merge(newer)).toBe(true);
    expect(b.merge(newer)).toBe(true);
    expect(b.merge(older)).toBe(false);
    expect(a.live(older.aor, T)).toEqual(b.live(older.aor, T));
    expect(a.merge(newer)).toBe(false); // a duplicate changes nothing
  });

  it('remembers a removal so that an older copy cannot bring the device back, then forgets it', () => {
    const store = new BindingStore(60_000);
    const registered = binding('sip:bob@10.0.0.2:5060', T, T + 3_600_000);
    store.merge(registered);
    store.merge(binding('sip:bob@10.0.0.2:5060', T + 5, T + 5)); // Expires: 0
    expect(store.live(registered.aor, T + 10)).toEqual([]);
    expect(store.merge(registered)).toBe(false);
    store.purge(T + 5 + 60_001);
    expect(store.all()).toEqual([]);
  });

  it('drops expired registrations and selects by key range', () => {
    const store = new BindingStore(60_000);
    const alice = binding('sip:alice@10.0.0.1:5060', T, T + 1_000, 'sip:alice@atlanta.com');
    const bob = binding('sip:bob@10.0.0.2:5060', T, T + 5_000);
    store.merge(alice);
    store.merge(bob);
    expect(store.liveCount(T + 2_000)).toBe(1);
    const key = toPosition(idOf(alice.aor));
    expect(store.inRange(key - 1n, key).map((b) => b.aor)).toEqual([alice.aor]);
    expect(store.outside(key - 1n, key).map((b) => b.aor)).toEqual([bob.aor]);
    store.purge(T + 2_000);
    expect(store.all().map((b) => b.aor)).toEqual([bob.aor]);
  });
});
