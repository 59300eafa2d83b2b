import { describe, expect, it } from 'vitest';

import {
  OverlayTimeoutError,
  OverlayUnreachableError,
  type NodeRef,
  type OverlayMessage,
  type OverlayReply,
} from '../../../../src-main/overlay/overlay.ts';
import { FakeClock } from '../../../../src-main/overlay/sim/fake-clock.ts';
import { Prng } from '../../../../src-main/overlay/sim/prng.ts';
import { SimNetwork, type SimNetworkOptions } from '../../../../src-main/overlay/sim/sim-network.ts';

const alice: NodeRef = { id: 'a'.repeat(40), url: 'sip:alice@10.0.0.1:5060' };
const bob: NodeRef = { id: 'b'.repeat(40), url: 'sip:bob@10.0.0.2:5060' };
const carol: NodeRef = { id: 'c'.repeat(40), url: 'sip:carol@10.0.0.3:5060' };

/** Bob answers every request with an echo and counts what he received. */
function setUp(options: SimNetworkOptions = {}) {
  const clock = new FakeClock(0);
  const network = new SimNetwork(clock, options);
  const received: OverlayMessage[] = [];
  network.attach(bob.url, {
    async receive(from: NodeRef, message: OverlayMessage): Promise<OverlayReply> {
      received.push(message);
      return { ok: true, message: { kind: 'Echo', from: from.id, n: message.n } };
    },
  });
  network.attach(carol.url, { receive: async () => ({ ok: false, status: 503, reason: 'Leaving' }) });
  const send = (message: OverlayMessage, to = bob, timeoutMs = 100) =>
    clock.run(network.transport(alice).send(to, message, { timeoutMs }));
  return { clock, network, received, send };
}

describe('the simulated network', () => {
  it('carries a request and its answer, each after the configured delay, as copies', async () => {
    const { clock, received, send } = setUp({ delayMs: 7 });
    const message = { kind: 'Ping', n: 1 };
    const reply = await send(message);
    expect(reply).toEqual({ ok: true, message: { kind: 'Echo', from: alice.id, n: 1 } });
    expect(clock.now()).toBe(14);
    expect(received[0]).toEqual(message);
    expect(received[0]).not.toBe(message);
  });

  it('passes refusals through as they are', async () => {
    const { send } = setUp();
    await expect(send({ kind: 'Ping' }, carol)).resolves.toEqual({
      ok: false,
      status: 503,
      reason: 'Leaving',
    });
  });

  it('leaves the sender of a request to a crashed node with a timeout, on the fake clock', async () => {
    const { clock, network, received, send } = setUp();
    network.crash(bob.url);
    await expect(send({ kind: 'Ping' }, bob, 250)).rejects.toBeInstanceOf(OverlayTimeoutError);
    expect(clock.now()).toBe(250);
    expect(received).toEqual([]);
    expect(network.stats.timeouts).toBe(1);
  });

  it('refuses at once to send to an address where no node ever was', async () => {
    const { send } = setUp();
    const nobody = { id: 'd'.repeat(40), url: 'sip:nobody@10.0.0.9:5060' };
    await expect(send({ kind: 'Ping' }, nobody)).rejects.toBeInstanceOf(OverlayUnreachableError);
  });

  it('stops a crashed node’s timers', async () => {
    const { clock, network } = setUp();
    const ticks: string[] = [];
    network.components(alice).schedule(10, () => ticks.push('alice'));
    network.components(bob).schedule(10, () => ticks.push('bob'));
    network.crash(bob.url);
    await clock.advance(20);
    expect(ticks).toEqual(['alice']);
  });

  it('cuts a partition both ways, and heals', async () => {
    const { network, send } = setUp();
    network.partition([alice.url], [bob.url]);
    await expect(send({ kind: 'Ping' })).rejects.toBeInstanceOf(OverlayTimeoutError);
    network.heal();
    await expect(send({ kind: 'Ping' })).resolves.toMatchObject({ ok: true });
  });

  it('duplicates requests: the receiver sees both, the sender one answer', async () => {
    const { received, send, network } = setUp({ duplication: 1 });
    await expect(send({ kind: 'Ping', n: 1 })).resolves.toMatchObject({ ok: true });
    expect(received).toHaveLength(2);
    expect(network.stats.duplicated).toBe(1);
  });

  it('loses about the configured share of datagrams, and the same seed loses the same ones', async () => {
    async function run(seed: number): Promise<boolean[]> {
      const { send } = setUp({ seed, loss: 0.2, delayMs: 1, jitterMs: 5 });
      const outcomes: boolean[] = [];
      for (let n = 0; n < 300; n++)
        outcomes.push(
          await send({ kind: 'Ping', n }).then(
            () => true,
            () => false,
          ),
        );
      return outcomes;
    }
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(await run(43)).not.toEqual(first);
    // A request and its answer must both survive: 0.8^2 = 64 % get through.
    const delivered = first.filter(Boolean).length / first.length;
    expect(delivered).toBeGreaterThan(0.55);
    expect(delivered).toBeLessThan(0.73);
  });

  it('lets datagrams overtake each other with jitter', async () => {
    const { clock, network } = setUp({ delayMs: 1, jitterMs: 50, seed: 3 });
    const order: number[] = [];
    const sends = Array.from({ length: 20 }, (_, n) =>
      network
        .transport(alice)
        .send(bob, { kind: 'Ping', n }, { timeoutMs: 1_000 })
        .then(() => order.push(n)),
    );
    await clock.run(Promise.all(sends));
    expect(order).toHaveLength(20);
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });
});

describe('the seeded PRNG', () => {
  it('repeats itself for a seed and spreads evenly', () => {
    const a = new Prng(9);
    const b = new Prng(9);
    const draws = Array.from({ length: 10_000 }, () => a.next());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(new Prng(1).id()).toMatch(/^[0-9a-f]{40}$/);
    expect(new Prng(1).shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
