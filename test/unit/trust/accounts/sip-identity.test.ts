import { describe, expect, it } from 'vitest';
import {
  InvalidAorError,
  InvalidDomainError,
  InvalidUsernameError,
} from '../../../../src-main/trust/accounts/account-errors.ts';
import {
  normalizeDomain,
  parseAor,
  validateUsername,
} from '../../../../src-main/trust/accounts/sip-identity.ts';

describe('who may have an account', () => {
  it('anyone whose name uses RFC 3261 user-part characters', () => {
    for (const name of [
      'alice',
      'Bob.Smith',
      "o'brien",
      'a-b_c~d',
      'x+tag',
      '+14155550100',
      'room=1;floor=2',
    ]) {
      expect(() => validateUsername(name)).not.toThrow();
    }
  });

  it('but a name with a space, an @, a colon or an escape is refused with the offending character named', () => {
    const refusal = (name: string): string => {
      try {
        validateUsername(name);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidUsernameError);
        return (error as Error).message;
      }
      throw new Error(`${name} was accepted`);
    };
    expect(refusal('al ice')).toContain('contains " "');
    expect(refusal('bob@evil')).toContain('contains "@"');
    expect(refusal('a:b')).toContain('contains ":"');
    expect(refusal('%61lice')).toContain('contains "%"');
    expect(refusal('Jürgen')).toContain('contains "ü"');
    expect(refusal('')).toMatch(/cannot be empty/);
    expect(refusal('x'.repeat(65))).toMatch(/at most 64/);
  });

  it('domains are host names or addresses, stored in lowercase', () => {
    expect(normalizeDomain('Example.COM')).toBe('example.com');
    expect(normalizeDomain('192.0.2.7')).toBe('192.0.2.7');
    expect(normalizeDomain('[2001:DB8::1]')).toBe('[2001:db8::1]');
    expect(() => normalizeDomain('exa mple.com')).toThrow(InvalidDomainError);
    expect(() => normalizeDomain('-bad.com')).toThrow(InvalidDomainError);
    expect(() => normalizeDomain('example.123')).toThrow(/host name/);
    expect(() => normalizeDomain('')).toThrow(InvalidDomainError);
  });

  it('an address of record reads as sip:user@domain', () => {
    expect(parseAor('sip:alice@Example.com')).toEqual({
      username: 'alice',
      domain: 'example.com',
      aor: 'sip:alice@example.com',
    });
    expect(() => parseAor('alice@example.com')).toThrow(InvalidAorError);
    expect(() => parseAor('sips:alice@example.com')).toThrow(/sip:user@domain/);
    expect(() => parseAor('sip:al ice@example.com')).toThrow(InvalidUsernameError);
  });
});
