import { describe, expect, it } from 'vitest';

import { formatRfc1123Date, parseRfc1123Date } from '../../../../src-main/trust/signing/index.ts';

describe('SIP Date headers (RFC 3261 §20.17, RFC 1123 in GMT)', () => {
  it("reads RFC 3261's own example", () => {
    expect(parseRfc1123Date('Sat, 13 Nov 2010 23:29:00 GMT')).toBe(Date.UTC(2010, 10, 13, 23, 29, 0));
  });

  it('writes what it reads, for every month', () => {
    for (let month = 0; month < 12; month++) {
      const ms = Date.UTC(2026, month, 9, 7, 5, 3);
      const text = formatRfc1123Date(ms + 999);
      expect(text).toMatch(/^\w{3}, 09 \w{3} 2026 07:05:03 GMT$/);
      expect(parseRfc1123Date(text)).toBe(ms);
    }
  });

  it.each([
    ['a day name that is not the date', 'Fri, 13 Nov 2010 23:29:00 GMT'],
    ['a date that does not exist', 'Tue, 30 Feb 2010 23:29:00 GMT'],
    ['hour 24', 'Sat, 13 Nov 2010 24:00:00 GMT'],
    ['a leap second', 'Sat, 13 Nov 2010 23:59:60 GMT'],
    ['another time zone', 'Sat, 13 Nov 2010 23:29:00 +0000'],
    ['UTC instead of GMT', 'Sat, 13 Nov 2010 23:29:00 UTC'],
    ['a one-digit day', 'Sat, 6 Nov 2010 23:29:00 GMT'],
    ['a lower-case month', 'Sat, 13 nov 2010 23:29:00 GMT'],
    ['RFC 850 format', 'Saturday, 13-Nov-10 23:29:00 GMT'],
    ['asctime format', 'Sat Nov 13 23:29:00 2010'],
    ['ISO 8601', '2010-11-13T23:29:00Z'],
    ['trailing text', 'Sat, 13 Nov 2010 23:29:00 GMT x'],
    ['nothing', ''],
  ])('refuses %s', (_why, text) => {
    expect(parseRfc1123Date(text)).toBeUndefined();
  });
});
