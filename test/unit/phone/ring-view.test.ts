import { describe, expect, it } from 'vitest';
import { fingerNumber } from '../../../src-main/phone/ring-view.ts';

const SELF = '3f2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3c';

describe("the network screen's finger numbers", () => {
  it('finger k starts at self + 2^(k-1), around the ring', () => {
    expect(fingerNumber(SELF, '3f2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3d')).toBe(1);
    expect(fingerNumber(SELF, '3f2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3e')).toBe(2);
    expect(fingerNumber(SELF, '7f2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3c')).toBe(159);
    expect(fingerNumber(SELF, 'bf2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3c')).toBe(160);
    // Past the top of the ring: ff…ff + 2 wraps to 00…01.
    expect(fingerNumber('f'.repeat(40), `${'0'.repeat(39)}1`)).toBe(2);
  });

  it('a start that is no finger’s has no number', () => {
    expect(fingerNumber(SELF, SELF)).toBeNull();
    expect(fingerNumber(SELF, '3f2a91bc55e0d4a7c1b28e9f0a6d7c4e5b1a2f3f')).toBeNull();
    expect(fingerNumber(SELF, 'not hex')).toBeNull();
  });
});
