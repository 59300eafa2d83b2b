import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayerView, NetworkView } from '../../../src-main/ipc/contract.ts';
import type { PhoneCore } from '../../../src-main/phone/phone-core.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';
import { nextEvent } from './phone-events.ts';
import { twoPhones } from './two-phones.ts';

const ALICE = 'sip:alice@example.com';
/** A switch takes a few refresh periods (2 s here); the deadlines leave room for a slow machine. */
const SWITCH_DEADLINE_MS = 120_000;

function identityOf(network: NetworkView | null): LayerView | undefined {
  return network?.layers.find((l) => l.layer === 'identity');
}

/**
 * The network view as it is now, or as the first `networkChanged` makes it, once it satisfies
 * `wanted`: listening starts before the look, so no change falls between the two.
 */
function networkWhere(
  phone: PhoneCore,
  wanted: (network: NetworkView) => boolean,
  what: string,
  timeoutMs = SWITCH_DEADLINE_MS,
): Promise<NetworkView> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (network: NetworkView | undefined, error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      off();
      if (network) resolve(network);
      else reject(error);
    };
    const timer = setTimeout(() => finish(undefined, new Error(`no network view where ${what}`)), timeoutMs);
    const off = phone.on('networkChanged', (network) => {
      if (wanted(network)) finish(network);
    });
    phone.invoke('appStatus').then(
      (status) => status.network && wanted(status.network) && finish(status.network),
      (error: Error) => finish(undefined, error),
    );
  });
}

const onAlgorithm = (algorithm: string) => (network: NetworkView) => {
  const identity = identityOf(network);
  return identity?.algorithm === algorithm && identity.health === 'ok' && identity.phase === 'steady';
};
const switching = (network: NetworkView) => identityOf(network)?.health === 'switching';

/**
 * Issue 6 as the operator sees it: Alice's phone created the network, so it holds the CA key and
 * can switch the identity layer's algorithm from her network screen; Bob's phone cannot. Both
 * screens follow the switch live, and calls still find Alice afterwards.
 */
describe('the phone core: the network’s layers, and switching the identity layer', () => {
  const dirs = tempDirs();
  let alice: PhoneCore;
  let bob: PhoneCore;

  beforeAll(async () => {
    ({ alice, bob } = await twoPhones(
      dirs.make('chordline-layers-alice-'),
      dirs.make('chordline-layers-bob-'),
    ));
  }, 60_000);

  afterAll(async () => {
    await bob?.stop();
    await alice?.stop();
    dirs.cleanup();
  });

  it('each phone shows the device, trust, identity and presence layers, the identity layer on chord', async () => {
    const [a, b] = await Promise.all([
      networkWhere(alice, onAlgorithm('chord'), 'Alice’s identity layer is OK on chord', 30_000),
      networkWhere(bob, onAlgorithm('chord'), 'Bob’s identity layer is OK on chord', 30_000),
    ]);
    for (const network of [a, b]) {
      expect(network.layers.map((l) => [l.layer, l.algorithm])).toEqual([
        ['device', 'onehop'],
        ['trust', 'login-server'],
        ['identity', 'chord'],
        ['presence', 'chord'],
      ]);
      expect(identityOf(network)).toMatchObject({ epoch: 0, phase: 'steady', switchTo: ['onehop'] });
      expect(network.layers.find((l) => l.layer === 'trust')).toMatchObject({ health: 'ok' });
      expect(network.lastSwitch).toBeNull();
    }
    const trustOf = (network: NetworkView) => network.layers.find((l) => l.layer === 'trust')!;
    expect(trustOf(a).detail).toContain('Login server hosted here');
    expect(trustOf(b).detail).toContain(`Login server ${a.loginServer}`);
    // Both desktops are in the device overlay, each seeing the other.
    const devicesOk = (network: NetworkView) =>
      network.layers.find((l) => l.layer === 'device')?.detail.startsWith('2 devices') ?? false;
    await networkWhere(alice, devicesOk, 'Alice’s device layer knows 2 devices', 30_000);
    expect([a.operator, b.operator]).toEqual([true, false]);
  });

  it('Bob’s phone does not hold the CA key: it may not switch a layer, and says whose phone can', async () => {
    await expect(bob.invoke('switchLayer', { layer: 'identity', algorithm: 'onehop' })).rejects.toMatchObject(
      {
        name: 'PhoneError',
        code: 'not-operator',
        message: expect.stringContaining('Only the phone that created this network'),
      },
    );
  });

  it('a switch that cannot be is refused before anything moves', async () => {
    await expect(
      alice.invoke('switchLayer', { layer: 'presence', algorithm: 'onehop' }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('only the identity layer can'),
    });
    await expect(
      alice.invoke('switchLayer', { layer: 'identity', algorithm: 'chord' }),
    ).rejects.toMatchObject({
      code: 'switch-refused',
      message: expect.stringContaining('already runs chord'),
    });
    await expect(
      alice.invoke('switchLayer', { layer: 'identity', algorithm: 'kademlia' }),
    ).rejects.toMatchObject({
      code: 'switch-refused',
      message: expect.stringContaining('cannot run kademlia'),
    });
    expect(identityOf((await alice.invoke('appStatus')).network)).toMatchObject({
      algorithm: 'chord',
      epoch: 0,
    });
  });

  it(
    'Alice switches the identity layer to onehop: both screens go switching, then OK on onehop',
    async () => {
      const bobSwitching = networkWhere(bob, switching, 'Bob’s identity layer is switching');

      const started = await alice.invoke('switchLayer', { layer: 'identity', algorithm: 'onehop' });
      expect(identityOf(started)).toMatchObject({ health: 'switching', epoch: 1 });
      expect(identityOf(started)!.phase).not.toBe('steady');
      // One switch at a time: a second order while this one runs is refused, in words.
      await expect(
        alice.invoke('switchLayer', { layer: 'identity', algorithm: 'onehop' }),
      ).rejects.toMatchObject({
        code: 'switch-refused',
        message: expect.stringContaining('already switching'),
      });

      // The announcement floods to Bob; his screen hears each step without asking.
      expect(identityOf(await bobSwitching)!.detail).toMatch(/onehop/i);
      const [a, b] = await Promise.all([
        networkWhere(alice, onAlgorithm('onehop'), 'Alice’s identity layer is OK on onehop'),
        networkWhere(bob, onAlgorithm('onehop'), 'Bob’s identity layer is OK on onehop'),
      ]);
      for (const network of [a, b]) {
        expect(identityOf(network)).toMatchObject({ epoch: 1, switchTo: ['chord'] });
        expect(network.lastSwitch).toMatchObject({
          layer: 'identity',
          epoch: 1,
          from: 'chord',
          to: 'onehop',
        });
        expect(network.lastSwitch!.outcome).toBe('done');
        // The other layers were not touched.
        expect(network.layers.filter((l) => l.layer !== 'identity').map((l) => l.algorithm)).toEqual([
          'onehop',
          'login-server',
          'chord',
        ]);
      }
    },
    SWITCH_DEADLINE_MS + 30_000,
  );

  it('after the switch, Bob’s ring view shows onehop’s successor and no fingers', async () => {
    const ring = await bob.invoke('ringState');
    expect(ring.successors).toHaveLength(1);
    expect(ring.fingers).toEqual([]);
  });

  it('after the switch, Bob’s call still finds Alice', async () => {
    const ringing = nextEvent(
      alice,
      'callChanged',
      (c) => c.state === 'ringing' && c.direction === 'incoming',
      30_000,
    );
    const call = await bob.invoke('dial', ALICE);
    const incoming = await ringing;
    expect(incoming.peer).toBe('sip:bob@example.com');
    const ended = nextEvent(bob, 'callChanged', (c) => c.id === call.id && c.state === 'ended', 30_000);
    await alice.invoke('decline', incoming.id);
    await ended;
  });
});
