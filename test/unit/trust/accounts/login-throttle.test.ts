import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../../src-main/trust/accounts/login-throttle.ts';

function fixture(options: ConstructorParameters<typeof LoginThrottle>[0] = {}) {
  let now = 1_700_000_000_000;
  const throttle = new LoginThrottle({ clock: () => now, ...options });
  return {
    throttle,
    advance: (ms: number) => {
      now += ms;
    },
    fail: (source: string, times = 1) => {
      for (let i = 0; i < times; i++) throttle.recordFailure(source);
    },
  };
}

describe('a guesser at one address is slowed down', () => {
  it('not at all for the first three mistakes, then 250 ms doubling up to 8 s', () => {
    const { throttle, fail } = fixture();
    const delays = [throttle.delayFor('203.0.113.9')];
    for (let i = 0; i < 12; i++) {
      fail('203.0.113.9');
      delays.push(throttle.delayFor('203.0.113.9'));
    }
    expect(delays).toEqual([0, 0, 0, 0, 250, 500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
  });

  it('while someone at another address is not', () => {
    const { throttle, fail } = fixture();
    fail('203.0.113.9', 10);
    expect(throttle.delayFor('198.51.100.1')).toBe(0);
  });

  it('until a success from that address wipes the slate', () => {
    const { throttle, fail } = fixture();
    fail('203.0.113.9', 6);
    expect(throttle.delayFor('203.0.113.9')).toBe(1000);
    throttle.recordSuccess('203.0.113.9');
    expect(throttle.delayFor('203.0.113.9')).toBe(0);
    expect(throttle.trackedSources).toBe(0);
  });

  it('and failures leave the count as the window slides past them', () => {
    const { throttle, fail, advance } = fixture({ windowMs: 60_000 });
    fail('203.0.113.9', 4); // at t = 0
    advance(30_000);
    fail('203.0.113.9', 2); // at t = 30 s: six in the window
    expect(throttle.delayFor('203.0.113.9')).toBe(1000);
    advance(30_000); // t = 60 s: the first four have left the window
    expect(throttle.failuresOf('203.0.113.9')).toBe(2);
    expect(throttle.delayFor('203.0.113.9')).toBe(0);
    advance(30_000); // t = 90 s: all gone, and so is the source
    expect(throttle.delayFor('203.0.113.9')).toBe(0);
    expect(throttle.trackedSources).toBe(0);
  });
});

describe('memory stays bounded', () => {
  it('per source: a hundred thousand failures keep only the few that still change the delay', () => {
    const { throttle, fail } = fixture();
    fail('203.0.113.9', 100_000);
    expect(throttle.failuresOf('203.0.113.9')).toBe(9);
    expect(throttle.delayFor('203.0.113.9')).toBe(8000);
  });

  it('across sources: the least recently failing are dropped first', () => {
    const { throttle, fail, advance } = fixture({ maxSources: 100 });
    fail('victim-of-eviction', 5);
    advance(1);
    fail('persistent-guesser', 5);
    for (let i = 0; i < 98; i++) fail(`bot-${i}`);
    expect(throttle.trackedSources).toBe(100);
    fail('persistent-guesser'); // fails again, so it is now the most recent
    fail('bot-new');
    expect(throttle.trackedSources).toBe(100);
    expect(throttle.failuresOf('victim-of-eviction')).toBe(0);
    expect(throttle.failuresOf('persistent-guesser')).toBe(6);
  });
});

it('refuses settings that make no sense', () => {
  expect(() => new LoginThrottle({ baseDelayMs: -1 })).toThrow(/baseDelayMs/);
  expect(() => new LoginThrottle({ maxSources: 0 })).toThrow(/maxSources/);
  expect(() => new LoginThrottle({ windowMs: Number.NaN })).toThrow(/windowMs/);
});
