import { describe, expect, it } from 'vitest';

import {
  RING_SIZE,
  between,
  compare,
  distance,
  fingerStart,
  idOf,
  isId,
  subtract,
  toId,
  toPosition,
  InvalidIdError,
} from '../../../../src-main/overlay/chord/ring.ts';
import { Prng } from '../../../../src-main/overlay/sim/prng.ts';

const MAX = RING_SIZE - 1n;

describe('ring arithmetic on 160-bit ids', () => {
  it('reads and writes ids as 40 lowercase hex digits, and SHA-1 makes them', () => {
    expect(toId(0n)).toBe('0'.repeat(40));
    expect(toId(MAX)).toBe('f'.repeat(40));
    expect(toId(RING_SIZE + 5n)).toBe(toId(5n));
    expect(toId(-1n)).toBe('f'.repeat(40));
    // SHA-1("abc"), FIPS 180-2 appendix A.1.
    expect(idOf('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(toPosition(idOf('abc'))).toBe(0xa9993e364706816aba3e25717850c26c9cd0d89dn);
    expect(isId('A'.repeat(40))).toBe(false);
    expect(() => toPosition('xyz')).toThrow(InvalidIdError);
  });

  it('measures clockwise distance modulo 2^160', () => {
    expect(distance(10n, 15n)).toBe(5n);
    expect(distance(15n, 10n)).toBe(RING_SIZE - 5n);
    expect(distance(MAX, 0n)).toBe(1n);
    expect(distance(7n, 7n)).toBe(0n);
    expect(subtract(0n, 1n)).toBe(MAX);
    expect(compare(1n, 2n)).toBe(-1);
  });

  it('tells whether x lies between a and b, wrapping past zero', () => {
    // No wrap.
    expect(between(10n, 12n, 20n)).toBe(true);
    expect(between(10n, 25n, 20n)).toBe(false);
    // The arc from near the top through zero.
    expect(between(MAX - 5n, 2n, 10n)).toBe(true);
    expect(between(MAX - 5n, MAX, 10n)).toBe(true);
    expect(between(MAX - 5n, 11n, 10n)).toBe(false);
    expect(between(MAX - 5n, MAX - 6n, 10n)).toBe(false);
  });

  it('includes an end only when the interval says so', () => {
    expect(between(10n, 10n, 20n, '()')).toBe(false);
    expect(between(10n, 10n, 20n, '[)')).toBe(true);
    expect(between(10n, 20n, 20n, '()')).toBe(false);
    expect(between(10n, 20n, 20n, '(]')).toBe(true);
    expect(between(10n, 20n, 20n, '[]')).toBe(true);
  });

  it('reads (n, n] as the whole circle, as for a node alone in its ring', () => {
    expect(between(42n, 42n, 42n, '(]')).toBe(true);
    expect(between(42n, 7n, 42n, '(]')).toBe(true);
    expect(between(42n, 42n, 42n, '()')).toBe(false);
    expect(between(42n, 7n, 42n, '()')).toBe(true);
  });

  it('agrees with the definition for random triples (x in (a, b] iff 0 < d(a, x) <= d(a, b))', () => {
    const random = new Prng(7);
    for (let i = 0; i < 2_000; i++) {
      const [a, x, b] = [random.id(), random.id(), random.id()].map(toPosition);
      const inside = distance(a, x) > 0n && distance(a, x) <= distance(a, b);
      expect(between(a, x, b, '(]')).toBe(a === b ? true : inside);
      // (a, b] and (b, a] split the circle, each point in exactly one (for a != b).
      if (a !== b) expect(between(a, x, b, '(]')).toBe(!between(b, x, a, '(]'));
    }
  });

  it('starts finger i at n + 2^(i-1), wrapping', () => {
    const n = toPosition('f'.repeat(39) + '0');
    expect(fingerStart(n, 1)).toBe(n + 1n);
    expect(fingerStart(n, 5)).toBe(0n); // 0xff..f0 + 16 wraps round to 0
    expect(fingerStart(n, 6)).toBe(16n);
    expect(fingerStart(0n, 160)).toBe(1n << 159n);
    expect(fingerStart(1n << 159n, 160)).toBe(0n);
    expect(() => fingerStart(0n, 0)).toThrow(RangeError);
    expect(() => fingerStart(0n, 161)).toThrow(RangeError);
  });

  it('puts every finger start further round the ring than the one before', () => {
    const n = toPosition(idOf('alice'));
    for (let i = 2; i <= 160; i++)
      expect(distance(n, fingerStart(n, i)) > distance(n, fingerStart(n, i - 1))).toBe(true);
  });
});
