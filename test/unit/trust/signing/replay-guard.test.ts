import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { ReplayGuard, formatRfc1123Date } from '../../../../src-main/trust/signing/index.ts';
import { FakeClock } from './fixtures.ts';

describe('the replay guard', () => {
  it('lets a Date within ±300 s pass by default and refuses one beyond', () => {
    const clock = new FakeClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    const guard = new ReplayGuard({ clock });
    const at = (seconds: number): string => formatRfc1123Date(clock.now() + seconds * 1000);

    expect(guard.checkDate(at(-300))).toEqual({ ok: true, dateMs: clock.now() - 300_000 });
    expect(guard.checkDate(at(300)).ok).toBe(true);
    expect(guard.checkDate(at(-301))).toMatchObject({ ok: false, code: 403, problem: 'stale-date' });
    expect(guard.checkDate(at(301))).toMatchObject({ ok: false, problem: 'stale-date' });
    expect(guard.checkDate('yesterday')).toMatchObject({ ok: false, problem: 'bad-date' });
  });

  it('takes a narrower window when configured', () => {
    const clock = new FakeClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    const guard = new ReplayGuard({ clock }, { windowSeconds: 30 });
    expect(guard.checkDate(formatRfc1123Date(clock.now() - 31_000)).ok).toBe(false);
    expect(guard.checkDate(formatRfc1123Date(clock.now() - 29_000)).ok).toBe(true);
  });

  it('refuses a signature the second time, and forgets it once its Date can no longer pass', () => {
    const clock = new FakeClock();
    const guard = new ReplayGuard({ clock });
    const signature = randomBytes(256);

    expect(guard.remember(signature)).toEqual({ ok: true });
    clock.advanceSeconds(599);
    expect(guard.remember(signature)).toEqual({
      ok: false,
      code: 403,
      problem: 'replayed',
      reason: 'Message replayed',
    });
    clock.advanceSeconds(2);
    expect(guard.remember(randomBytes(256)).ok).toBe(true);
    expect(guard.size).toBe(1);
  });

  it('keeps at most maxEntries signatures, forgetting the oldest first', () => {
    const clock = new FakeClock();
    const guard = new ReplayGuard({ clock }, { maxEntries: 3 });
    const signatures = [0, 1, 2, 3].map(() => randomBytes(256));
    for (const signature of signatures) expect(guard.remember(signature).ok).toBe(true);

    expect(guard.size).toBe(3);
    expect(guard.remember(signatures[3]).ok).toBe(false);
    expect(guard.remember(signatures[0]).ok).toBe(true);
  });
});
