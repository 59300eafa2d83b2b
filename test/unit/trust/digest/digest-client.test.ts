import { describe, expect, it } from 'vitest';
import { digestResponse } from '../../../../src-main/trust/digest/digest-client.ts';
import { DigestChallengeError, DigestInputError } from '../../../../src-main/trust/digest/digest-errors.ts';
import { parseAuthorization } from '../../../../src-main/trust/digest/parse-authorization.ts';

const base = { method: 'REGISTER', uri: 'sip:example.com', username: 'alice', password: 'wonderland' };

describe('a peer answering a challenge', () => {
  it('uses the RFC 2069 form when the server offers no qop, as old registrars do', () => {
    const header = digestResponse({
      ...base,
      challengeHeaderValue: 'Digest realm="example.com", nonce="abc"',
    });
    const parsed = parseAuthorization(header);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.credentials.qop).toBeUndefined();
    expect(parsed.credentials.nc).toBeUndefined();
    expect(parsed.credentials.algorithm).toBe('MD5');
  });

  it('counts requests on one nonce in 8 hex digits and invents a cnonce when given none', () => {
    const challenge = 'Digest realm="example.com", nonce="abc", qop="auth"';
    const first = parseAuthorization(digestResponse({ ...base, challengeHeaderValue: challenge }));
    const second = parseAuthorization(digestResponse({ ...base, challengeHeaderValue: challenge }));
    const third = parseAuthorization(digestResponse({ ...base, challengeHeaderValue: challenge, nc: 255 }));
    if (!first.ok || !second.ok || !third.ok) throw new Error('the helper wrote an unreadable header');
    expect(first.credentials.nc).toBe('00000001');
    expect(third.credentials.nc).toBe('000000ff');
    expect(first.credentials.cnonce).toMatch(/^[0-9a-f]{32}$/);
    expect(first.credentials.cnonce).not.toBe(second.credentials.cnonce);
  });

  it('escapes quotes and backslashes in the username so the server reads it back intact', () => {
    const header = digestResponse({
      ...base,
      username: 'o"brien\\x',
      challengeHeaderValue: 'Digest realm="example.com", nonce="abc", qop="auth"',
    });
    const parsed = parseAuthorization(header);
    expect(parsed.ok && parsed.credentials.username).toBe('o"brien\\x');
  });

  it('refuses to put a line break into a header', () => {
    expect(() =>
      digestResponse({
        ...base,
        username: 'alice\r\nVia: evil',
        challengeHeaderValue: 'Digest realm="x", nonce="n"',
      }),
    ).toThrow(DigestInputError);
  });

  it('explains why it cannot answer a challenge it does not support', () => {
    const attempt = (challengeHeaderValue: string | string[]): unknown => {
      try {
        return digestResponse({ ...base, challengeHeaderValue });
      } catch (error) {
        return error;
      }
    };
    const onlySess = attempt('Digest realm="x", nonce="n", algorithm=SHA-256-sess');
    expect(onlySess).toBeInstanceOf(DigestChallengeError);
    expect((onlySess as Error).message).toContain('SHA-256-sess');
    expect(attempt('Digest realm="x", nonce="n", qop="auth-int"')).toBeInstanceOf(DigestChallengeError);
    expect(attempt('Basic realm="x"')).toBeInstanceOf(DigestChallengeError);
    expect(attempt('Digest realm="x, nonce=n')).toBeInstanceOf(DigestChallengeError);
    expect(attempt([])).toBeInstanceOf(DigestChallengeError);
  });
});
