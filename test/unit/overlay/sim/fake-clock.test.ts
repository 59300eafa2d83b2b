import { describe, expect, it } from 'vitest';

import { FakeClock } from '../../../../src-main/overlay/sim/fake-clock.ts';

describe('the fake clock', () => {
  it('runs tasks in order of due time, ties in order of scheduling, and only when told', async () => {
    const clock = new FakeClock(1_000);
    const ran: string[] = [];
    clock.schedule(30, () => ran.push('c'));
    clock.schedule(10, () => ran.push('a'));
    clock.schedule(10, () => ran.push('b'));
    expect(ran).toEqual([]);
    await clock.advance(20);
    expect(ran).toEqual(['a', 'b']);
    expect(clock.now()).toBe(1_020);
    await clock.advance(100);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(1_120);
  });

  it('never runs a cancelled task', async () => {
    const clock = new FakeClock();
    let ran = false;
    const cancel = clock.schedule(5, () => (ran = true));
    expect(clock.pending).toBe(1);
    cancel();
    cancel();
    expect(clock.pending).toBe(0);
    await clock.runUntilIdle();
    expect(ran).toBe(false);
  });

  it('lets async code react to a task before time moves on', async () => {
    const clock = new FakeClock(0);
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => clock.schedule(ms, resolve));
    const log: number[] = [];
    const story = (async () => {
      await sleep(10);
      log.push(clock.now());
      await sleep(10);
      log.push(clock.now());
      return 'done';
    })();
    await expect(clock.run(story)).resolves.toBe('done');
    expect(log).toEqual([10, 20]);
    // run() went only as far as needed.
    expect(clock.now()).toBe(20);
  });

  it('says so when a promise waits for something that is never scheduled', async () => {
    const clock = new FakeClock();
    await expect(clock.run(new Promise(() => undefined))).rejects.toThrow(/nothing is scheduled/);
    clock.schedule(1_000, () => undefined);
    await expect(clock.run(new Promise(() => undefined), 500)).rejects.toThrow(/not settled within 500 ms/);
  });
});
