import { describe, expect, it } from 'vitest';
import { DigestAuthenticator } from '../../../../src-main/trust/digest/digest-authenticator.ts';
import type { DigestAlgorithm } from '../../../../src-main/trust/digest/digest-algorithm.ts';
import { digestResponse } from '../../../../src-main/trust/digest/digest-client.ts';
import { DigestConfigurationError } from '../../../../src-main/trust/digest/digest-errors.ts';
import { ha1 } from '../../../../src-main/trust/digest/ha1.ts';
import { parseDigestParams } from '../../../../src-main/trust/digest/parse-digest-params.ts';
import type { Ha1Lookup } from '../../../../src-main/trust/digest/digest-verification.ts';

const REALM = 'example.com';
const PASSWORDS: Record<string, string> = { alice: 'wonderland', bob: 'builder' };

/** The account store in miniature: HA1 values only, never the passwords. */
const lookupHa1: Ha1Lookup = (username, realm, algorithm) => {
  const password = PASSWORDS[username];
  return password === undefined || realm !== REALM ? undefined : ha1(algorithm, username, realm, password);
};

function fixture(options: { lifetimeSeconds?: number; maxTrackedNonces?: number } = {}) {
  let now = 1_700_000_000_000;
  const server = new DigestAuthenticator({
    realm: REALM,
    nonceLifetimeSeconds: options.lifetimeSeconds ?? 300,
    maxTrackedNonces: options.maxTrackedNonces,
    clock: () => now,
  });
  return {
    server,
    advance: (ms: number) => {
      now += ms;
    },
    /** What a peer sends after a 401: the Authorization header for REGISTER. */
    login: (
      username: string,
      password: string,
      challenge: readonly string[] = server.challenge(),
      extra: { nc?: number; algorithm?: DigestAlgorithm } = {},
    ) =>
      digestResponse({
        challengeHeaderValue: extra.algorithm
          ? challenge.filter((c) => c.includes(`algorithm=${extra.algorithm}`))
          : challenge,
        method: 'REGISTER',
        uri: 'sip:example.com',
        username,
        password,
        nc: extra.nc,
      }),
    verify: (authorizationHeader: string, method = 'REGISTER') =>
      server.verify({ method, authorizationHeader, lookupHa1 }),
  };
}

describe('the registrar challenges a REGISTER', () => {
  it('offers SHA-256 first, then MD5, with one nonce, an opaque and qop=auth', () => {
    const { server } = fixture();
    const challenge = server.challenge();
    expect(challenge).toHaveLength(2);
    const [sha, md5] = challenge.map((c) => parseDigestParams(c));
    if (!sha.ok || !md5.ok) throw new Error('challenge does not parse');
    expect(sha.scheme).toBe('Digest');
    expect(sha.params.get('algorithm')).toBe('SHA-256');
    expect(md5.params.get('algorithm')).toBe('MD5');
    expect(sha.params.get('realm')).toBe(REALM);
    expect(sha.params.get('qop')).toBe('auth');
    expect(sha.params.get('nonce')).toBe(md5.params.get('nonce'));
    expect(sha.params.get('opaque')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sha.params.has('stale')).toBe(false);
    expect(server.challenge({ stale: true })[0]).toMatch(/, stale=true$/);
  });

  it('hands out a different nonce each time', () => {
    const { server } = fixture();
    const nonces = new Set(
      Array.from({ length: 100 }, () => server.challenge()[0].match(/nonce="([^"]+)"/)?.[1]),
    );
    expect(nonces.size).toBe(100);
  });
});

describe('Alice logs in', () => {
  it('with the right password over SHA-256', () => {
    const { login, verify } = fixture();
    const header = login('alice', 'wonderland');
    expect(header).toContain('algorithm=SHA-256');
    expect(verify(header)).toEqual({
      ok: true,
      username: 'alice',
      realm: REALM,
      uri: 'sip:example.com',
      algorithm: 'SHA-256',
    });
  });

  it('with the right password over MD5, as an RFC 3261 client does', () => {
    const { login, verify } = fixture();
    const result = verify(login('alice', 'wonderland', undefined, { algorithm: 'MD5' }));
    expect(result).toMatchObject({ ok: true, username: 'alice', algorithm: 'MD5' });
  });

  it('from an old client that sends no algorithm and no qop (RFC 2069), read as MD5', () => {
    const { server, verify } = fixture();
    const nonce = server.challenge()[0].match(/nonce="([^"]+)"/)?.[1] ?? '';
    const header = digestResponse({
      challengeHeaderValue: `Digest realm="${REALM}", nonce="${nonce}"`,
      method: 'REGISTER',
      uri: 'sip:example.com',
      username: 'alice',
      password: 'wonderland',
    }).replace(', algorithm=MD5', '');
    expect(header).not.toContain('algorithm');
    expect(header).not.toContain('qop');
    expect(verify(header)).toMatchObject({ ok: true, algorithm: 'MD5' });
    // Without a nonce-count, the nonce is still good for one request only.
    expect(verify(header)).toMatchObject({ ok: false, reason: 'reused-nonce' });
  });

  it('but a wrong password is refused, and the server does not suggest a silent retry', () => {
    const { login, verify } = fixture();
    expect(verify(login('alice', 'wonderlnd'))).toMatchObject({
      ok: false,
      reason: 'wrong-password',
      staleChallenge: false,
    });
  });

  it('but a digest computed for another method is refused', () => {
    const { login, verify } = fixture();
    expect(verify(login('alice', 'wonderland'), 'INVITE')).toMatchObject({
      ok: false,
      reason: 'wrong-password',
    });
  });

  it('but Mallory, who has no account, is refused as unknown', () => {
    const { login, verify } = fixture();
    expect(verify(login('mallory', 'guess'))).toMatchObject({
      ok: false,
      reason: 'unknown-user',
      staleChallenge: false,
    });
  });
});

describe('a nonce authenticates one request only', () => {
  it('so Eve cannot replay the REGISTER she captured', () => {
    const { login, verify } = fixture();
    const captured = login('alice', 'wonderland');
    expect(verify(captured).ok).toBe(true);
    const replay = verify(captured);
    expect(replay).toMatchObject({ ok: false, reason: 'reused-nonce' });
  });

  it('even when the replay bumps the nonce-count', () => {
    const { server, login, verify } = fixture();
    const challenge = server.challenge();
    expect(verify(login('alice', 'wonderland', challenge, { nc: 1 })).ok).toBe(true);
    const refresh = verify(login('alice', 'wonderland', challenge, { nc: 2 }));
    // Alice's own refresh is refused too, but with stale=true her phone retries silently.
    expect(refresh).toMatchObject({ ok: false, reason: 'reused-nonce', staleChallenge: true });
  });

  it('and a repeated (nonce, nc) pair is refused even if the first try failed', () => {
    const { server, login, verify } = fixture();
    const challenge = server.challenge();
    expect(verify(login('alice', 'wrong', challenge, { nc: 1 }))).toMatchObject({ reason: 'wrong-password' });
    expect(verify(login('alice', 'wonderland', challenge, { nc: 1 }))).toMatchObject({
      ok: false,
      reason: 'reused-nonce',
    });
    expect(verify(login('alice', 'wonderland', challenge, { nc: 2 })).ok).toBe(true);
  });

  it('and a guesser who keeps trying new nonce-counts on one nonce burns it', () => {
    const { server, login, verify } = fixture();
    const challenge = server.challenge();
    for (let nc = 1; nc <= 8; nc++) {
      expect(verify(login('alice', `guess-${nc}`, challenge, { nc }))).toMatchObject({
        reason: 'wrong-password',
      });
    }
    expect(verify(login('alice', 'wonderland', challenge, { nc: 9 }))).toMatchObject({
      reason: 'reused-nonce',
    });
  });
});

describe('nonces expire', () => {
  it('and an expired nonce with the right password gets a stale challenge', () => {
    const { login, verify, advance } = fixture({ lifetimeSeconds: 300 });
    const header = login('alice', 'wonderland');
    advance(300_001);
    expect(verify(header)).toMatchObject({ ok: false, reason: 'stale-nonce', staleChallenge: true });
  });

  it('but an expired nonce with a wrong password gets no hint that a retry would help', () => {
    const { login, verify, advance } = fixture({ lifetimeSeconds: 300 });
    const header = login('alice', 'not-it');
    advance(300_001);
    expect(verify(header)).toMatchObject({ ok: false, reason: 'stale-nonce', staleChallenge: false });
  });

  it('and a nonce is still good at the last millisecond of its life', () => {
    const { login, verify, advance } = fixture({ lifetimeSeconds: 300 });
    const header = login('alice', 'wonderland');
    advance(300_000);
    expect(verify(header).ok).toBe(true);
  });
});

describe('forged and foreign credentials', () => {
  it('a nonce the server never issued is refused', () => {
    const { server, login, verify } = fixture();
    const real = server.challenge();
    const nonce = real[0].match(/nonce="([^"]+)"/)?.[1] ?? '';
    // Same length and alphabet, one character changed: the MAC no longer matches.
    const forgedNonce = (nonce[0] === 'A' ? 'B' : 'A') + nonce.slice(1);
    const forged = real.map((c) => c.replace(nonce, forgedNonce));
    expect(verify(login('alice', 'wrong', forged))).toMatchObject({
      ok: false,
      reason: 'bad-nonce',
      staleChallenge: false,
    });
    expect(
      verify(login('alice', 'wonderland', [`Digest realm="${REALM}", nonce="made-up", qop="auth"`])),
    ).toMatchObject({
      ok: false,
      reason: 'bad-nonce',
    });
  });

  it('a nonce from another server (another secret) is refused, with a silent retry for the right password', () => {
    const other = new DigestAuthenticator({ realm: REALM });
    const { login, verify } = fixture();
    // This is what a server restart with a fresh random secret looks like to a client.
    expect(verify(login('alice', 'wonderland', other.challenge()))).toMatchObject({
      ok: false,
      reason: 'bad-nonce',
      staleChallenge: true,
    });
  });

  it('credentials for another realm are refused', () => {
    const { server, login, verify } = fixture();
    const elsewhere = server.challenge().map((c) => c.replace(`realm="${REALM}"`, 'realm="evil.example"'));
    expect(verify(login('alice', 'wonderland', elsewhere))).toMatchObject({
      ok: false,
      reason: 'realm-mismatch',
    });
  });

  it('an opaque that is not ours is refused, but a missing one is tolerated', () => {
    const { server, login, verify } = fixture();
    const tampered = server.challenge().map((c) => c.replace(/opaque="[^"]+"/, 'opaque="xyz"'));
    expect(verify(login('alice', 'wonderland', tampered))).toMatchObject({
      ok: false,
      reason: 'opaque-mismatch',
    });
    const withoutOpaque = server.challenge().map((c) => c.replace(/opaque="[^"]+", /, ''));
    expect(verify(login('alice', 'wonderland', withoutOpaque)).ok).toBe(true);
  });

  it('algorithms and qops that were not offered are refused by name', () => {
    const { login, verify } = fixture();
    const sess = login('alice', 'wonderland').replace('algorithm=SHA-256', 'algorithm=SHA-256-sess');
    expect(verify(sess)).toMatchObject({ ok: false, reason: 'unsupported-algorithm' });
    const authInt = login('alice', 'wonderland').replace('qop=auth', 'qop=auth-int');
    expect(verify(authInt)).toMatchObject({ ok: false, reason: 'unsupported-qop' });
    const hashed = `${login('alice', 'wonderland')}, userhash=true`;
    expect(verify(hashed)).toMatchObject({ ok: false, reason: 'unsupported-algorithm' });
  });

  it('a response of the wrong length for its algorithm is malformed', () => {
    const { login, verify } = fixture();
    const header = login('alice', 'wonderland').replace(
      /response="([0-9a-f]+)"/,
      (_m, r: string) => `response="${r.slice(32)}"`,
    );
    expect(verify(header)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('garbage, unterminated quotes and huge headers are refused without throwing', () => {
    const { verify } = fixture();
    for (const header of [
      '',
      'garbage',
      'Digest username="alice',
      `Digest username="${'x'.repeat(100_000)}"`,
      'Digest \u0000\u0001',
    ]) {
      expect(verify(header)).toMatchObject({ ok: false, reason: 'malformed', staleChallenge: false });
    }
  });
});

describe('replay protection under a flood of nonces', () => {
  it('forgets old nonces within its bound yet never accepts a forgotten one', () => {
    const { server, login, verify, advance } = fixture({ maxTrackedNonces: 10 });
    const early = server.challenge();
    const captured = login('alice', 'wonderland', early);
    expect(verify(captured).ok).toBe(true);
    // Twenty more logins push the early nonce out of the ledger...
    for (let i = 0; i < 20; i++) {
      advance(1);
      expect(verify(login('bob', 'builder')).ok).toBe(true);
    }
    // ...but the replay is still refused, as stale, so an honest client would just retry.
    expect(verify(captured)).toMatchObject({ ok: false, reason: 'stale-nonce' });
  });
});

describe('a registrar for MD5-only clients', () => {
  it('can offer MD5 alone, and then refuses SHA-256 credentials', () => {
    const server = new DigestAuthenticator({ realm: REALM, algorithms: ['MD5'] });
    const challenge = server.challenge();
    expect(challenge).toHaveLength(1);
    expect(challenge[0]).toContain('algorithm=MD5');
    const answer = (algorithm: string) =>
      digestResponse({
        challengeHeaderValue: challenge[0].replace('algorithm=MD5', `algorithm=${algorithm}`),
        method: 'REGISTER',
        uri: 'sip:example.com',
        username: 'alice',
        password: 'wonderland',
      });
    expect(
      server.verify({ method: 'REGISTER', authorizationHeader: answer('SHA-256'), lookupHa1 }),
    ).toMatchObject({
      ok: false,
      reason: 'unsupported-algorithm',
    });
    expect(server.verify({ method: 'REGISTER', authorizationHeader: answer('MD5'), lookupHa1 }).ok).toBe(
      true,
    );
  });
});

describe('configuration mistakes are caught at construction', () => {
  it('names the bad setting', () => {
    expect(() => new DigestAuthenticator({ realm: '' })).toThrow(DigestConfigurationError);
    expect(() => new DigestAuthenticator({ realm: 'a\r\nb' })).toThrow(/control characters/);
    expect(() => new DigestAuthenticator({ realm: 'x', secret: new Uint8Array(8) })).toThrow(/at least 16/);
    expect(() => new DigestAuthenticator({ realm: 'x', nonceLifetimeSeconds: 0 })).toThrow(
      /nonceLifetimeSeconds/,
    );
    expect(() => new DigestAuthenticator({ realm: 'x', maxTrackedNonces: 0 })).toThrow(/maxTrackedNonces/);
    expect(() => new DigestAuthenticator({ realm: 'x', algorithms: [] })).toThrow(/algorithms/);
    expect(() => new DigestAuthenticator({ realm: 'x', algorithms: ['MD5', 'MD5'] })).toThrow(/at most once/);
  });

  it('two authenticators sharing a secret accept each other’s nonces (a restart with a kept secret)', () => {
    const secret = new Uint8Array(32).fill(7);
    const before = new DigestAuthenticator({ realm: REALM, secret });
    const after = new DigestAuthenticator({ realm: REALM, secret });
    const header = digestResponse({
      challengeHeaderValue: before.challenge(),
      method: 'REGISTER',
      uri: 'sip:example.com',
      username: 'alice',
      password: 'wonderland',
    });
    expect(after.verify({ method: 'REGISTER', authorizationHeader: header, lookupHa1 }).ok).toBe(true);
  });
});
