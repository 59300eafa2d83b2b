import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../../../src-main/trust/digest/parse-authorization.ts';
import { parseDigestParams } from '../../../../src-main/trust/digest/parse-digest-params.ts';

const GOOD =
  'Digest username="alice", realm="example.com", nonce="n0nce", uri="sip:example.com", ' +
  'response="6629fae49393a05397450978507c4ef1", algorithm=MD5, qop=auth, nc=00000001, cnonce="c"';

function detailOf(header: string): string {
  const parsed = parseAuthorization(header);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(header)} to be refused`);
  expect(parsed.reason).toBe('malformed');
  return parsed.detail;
}

describe('reading an Authorization header', () => {
  it('reads every parameter a SIP client sends', () => {
    const parsed = parseAuthorization(GOOD);
    expect(parsed).toEqual({
      ok: true,
      credentials: {
        username: 'alice',
        realm: 'example.com',
        nonce: 'n0nce',
        uri: 'sip:example.com',
        response: '6629fae49393a05397450978507c4ef1',
        algorithm: 'MD5',
        qop: 'auth',
        nc: '00000001',
        cnonce: 'c',
        opaque: undefined,
        userhash: false,
      },
    });
  });

  it('treats scheme and parameter names case-insensitively and tolerates odd spacing', () => {
    const parsed = parseAuthorization(
      'DIGEST   USERNAME = "alice" ,Realm="example.com",,NONCE="n", URI="sip:example.com",\tResponse="ABCDEF12" ',
    );
    expect(parsed.ok && parsed.credentials).toMatchObject({
      username: 'alice',
      realm: 'example.com',
      response: 'abcdef12',
    });
  });

  it('unescapes quoted-pairs and keeps commas and equals signs inside quotes', () => {
    const parsed = parseAuthorization(
      'Digest username="a\\"b\\\\c", realm="x, y=z", nonce="n", uri="sip:a@b;transport=udp", response="00"',
    );
    expect(parsed.ok && parsed.credentials).toMatchObject({ username: 'a"b\\c', realm: 'x, y=z' });
  });

  it('accepts unquoted values that sloppy clients send, such as a bare uri', () => {
    const parsed = parseAuthorization(
      'Digest username=bob, realm=example.com, nonce=abc==, uri=sip:example.com, response=ff',
    );
    expect(parsed.ok && parsed.credentials).toMatchObject({
      username: 'bob',
      nonce: 'abc==',
      uri: 'sip:example.com',
    });
  });

  it('keeps UTF-8 usernames', () => {
    const parsed = parseAuthorization(
      'Digest username="Jäsøn Doe", realm="r", nonce="n", uri="u", response="00"',
    );
    expect(parsed.ok && parsed.credentials.username).toBe('Jäsøn Doe');
  });

  it('says which part is wrong when the header is malformed', () => {
    expect(detailOf('')).toMatch(/scheme/);
    expect(detailOf('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toMatch(/not "Digest"|has no "="/);
    expect(detailOf('Digest')).toMatch(/no parameters/);
    expect(detailOf('Digest realm="x", username="alice')).toMatch(/unterminated/);
    expect(detailOf('Digest username="alice\\')).toMatch(/unterminated/);
    expect(detailOf('Digest username="a" realm="x"')).toMatch(/expected ","/);
    expect(detailOf('Digest username="a", username="b"')).toMatch(/twice/);
    expect(detailOf('Digest username=')).toMatch(/empty value/);
    expect(detailOf('Digest =x')).toMatch(/unexpected/);
    expect(detailOf('Digest username="a\r\nVia: x", realm="r"')).toMatch(/control character/);
    expect(detailOf('Digest realm="r", nonce="n", uri="u", response="00"')).toMatch(/missing "username"/);
    expect(detailOf(GOOD.replace('response="6629fae49393a05397450978507c4ef1"', 'response="xyz"'))).toMatch(
      /hexadecimal/,
    );
    expect(detailOf(GOOD.replace('nc=00000001', 'nc=1'))).toMatch(/8 hex digits/);
    expect(detailOf(GOOD.replace(', cnonce="c"', ''))).toMatch(/cnonce/);
  });

  it('refuses a huge header before reading it', () => {
    const huge = `Digest username="${'a'.repeat(1_000_000)}", realm="r", nonce="n", uri="u", response="00"`;
    expect(detailOf(huge)).toMatch(/more than the 8192 allowed/);
  });

  it('never throws, whatever bytes arrive', () => {
    const alphabet = 'Digest =",\\ \t\r\nabcAZ09-._~%\u0000\u00e9\u{1F600}';
    for (let round = 0; round < 2000; round++) {
      const bytes = randomBytes(1 + (round % 200));
      const text = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
      expect(() => parseAuthorization(text)).not.toThrow();
      expect(() => parseAuthorization(`Digest ${text}`)).not.toThrow();
    }
    // Callers in JavaScript land could hand us anything.
    expect(parseDigestParams(undefined)).toEqual({ ok: false, detail: 'header value is not a string' });
    expect(parseDigestParams(42).ok).toBe(false);
  });
});
