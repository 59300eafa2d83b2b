import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeResponse } from '../../../../src-main/trust/digest/compute-response.ts';
import { digestResponse } from '../../../../src-main/trust/digest/digest-client.ts';
import { ha1 } from '../../../../src-main/trust/digest/ha1.ts';

// RFC 2617 §3.5: Mufasa asks for /dir/index.html in realm testrealm@host.com.
const RFC2617 = {
  username: 'Mufasa',
  password: 'Circle Of Life',
  realm: 'testrealm@host.com',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  opaque: '5ccc069c403ebaf9f0171e9517f40e41',
  cnonce: '0a4f113b',
  uri: '/dir/index.html',
  response: '6629fae49393a05397450978507c4ef1',
};

// RFC 7616 §3.9.1: the same story with SHA-256 (note the lowercase "of" in the password).
const RFC7616 = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  uri: '/dir/index.html',
  sha256Response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
  md5Response: '8ca523f5e9506fed4657c9700eebdbec',
};

describe('the digest computation reproduces the RFC examples', () => {
  it('gives Mufasa the RFC 2617 §3.5 MD5 response', () => {
    const response = computeResponse({
      algorithm: 'MD5',
      ha1: ha1('MD5', RFC2617.username, RFC2617.realm, RFC2617.password),
      method: 'GET',
      uri: RFC2617.uri,
      nonce: RFC2617.nonce,
      qopAuth: { nc: '00000001', cnonce: RFC2617.cnonce },
    });
    expect(response).toBe(RFC2617.response);
  });

  it('gives Mufasa the RFC 7616 §3.9.1 SHA-256 and MD5 responses', () => {
    for (const [algorithm, expected] of [
      ['SHA-256', RFC7616.sha256Response],
      ['MD5', RFC7616.md5Response],
    ] as const) {
      const response = computeResponse({
        algorithm,
        ha1: ha1(algorithm, RFC7616.username, RFC7616.realm, RFC7616.password),
        method: 'GET',
        uri: RFC7616.uri,
        nonce: RFC7616.nonce,
        qopAuth: { nc: '00000001', cnonce: RFC7616.cnonce },
      });
      expect(response).toBe(expected);
    }
  });

  it('computes the RFC 2069 form, without qop, as H(HA1:nonce:HA2)', () => {
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const expected = md5(
      `${md5('Mufasa:testrealm@host.com:Circle Of Life')}:${RFC2617.nonce}:${md5('GET:/dir/index.html')}`,
    );
    const response = computeResponse({
      algorithm: 'MD5',
      ha1: ha1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life'),
      method: 'GET',
      uri: '/dir/index.html',
      nonce: RFC2617.nonce,
    });
    expect(response).toBe(expected);
  });
});

describe('the client helper answers the RFC challenges', () => {
  it('answers the RFC 2617 challenge with the published response and echoes opaque', () => {
    const header = digestResponse({
      challengeHeaderValue: `Digest realm="${RFC2617.realm}", qop="auth,auth-int", nonce="${RFC2617.nonce}", opaque="${RFC2617.opaque}"`,
      method: 'GET',
      uri: RFC2617.uri,
      username: RFC2617.username,
      password: RFC2617.password,
      cnonce: RFC2617.cnonce,
      nc: 1,
    });
    expect(header).toContain(`response="${RFC2617.response}"`);
    expect(header).toContain(`opaque="${RFC2617.opaque}"`);
    expect(header).toContain('qop=auth, nc=00000001, cnonce="0a4f113b"');
    expect(header.startsWith('Digest username="Mufasa"')).toBe(true);
  });

  it('picks SHA-256 from the RFC 7616 pair of challenges even when MD5 comes first', () => {
    const challenge = (algorithm: string): string =>
      `Digest realm="${RFC7616.realm}", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC7616.nonce}", opaque="${RFC7616.opaque}"`;
    const header = digestResponse({
      challengeHeaderValue: [challenge('MD5'), challenge('SHA-256')],
      method: 'GET',
      uri: RFC7616.uri,
      username: RFC7616.username,
      password: RFC7616.password,
      cnonce: RFC7616.cnonce,
    });
    expect(header).toContain(`response="${RFC7616.sha256Response}"`);
    expect(header).toContain('algorithm=SHA-256');
  });

  it('falls back to MD5 when that is all the server offers', () => {
    const header = digestResponse({
      challengeHeaderValue: `Digest realm="${RFC7616.realm}", qop="auth", algorithm=MD5, nonce="${RFC7616.nonce}", opaque="${RFC7616.opaque}"`,
      method: 'GET',
      uri: RFC7616.uri,
      username: RFC7616.username,
      password: RFC7616.password,
      cnonce: RFC7616.cnonce,
    });
    expect(header).toContain(`response="${RFC7616.md5Response}"`);
  });
});
