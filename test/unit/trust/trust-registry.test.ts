import { describe, expect, it } from 'vitest';
import { LoginServerTrust } from '../../../src-main/trust/login-server-trust.ts';
import { DEFAULT_TRUST_MECHANISM, trustMechanisms } from '../../../src-main/trust/trust-mechanisms.ts';
import { UnknownTrustMechanismError } from '../../../src-main/trust/trust-registry.ts';
import type { TrustComponents } from '../../../src-main/trust/trust-layer.ts';
import { NoCredentialsError } from '../../../src-main/trust/trust-layer.ts';

/** Nothing here is used before login(): the factories only keep their dependencies. */
const unused = {} as TrustComponents;

describe('the trust mechanisms a peer can run', () => {
  it("names 'login-server', the paper's central login server, as the only one and the default", () => {
    const registry = trustMechanisms();
    expect(registry.algorithms()).toEqual(['login-server']);
    expect(DEFAULT_TRUST_MECHANISM).toBe('login-server');
    const layer = registry.factory('login-server')(unused);
    expect(layer).toBeInstanceOf(LoginServerTrust);
    expect(layer.state()).toEqual({
      layer: 'trust',
      algorithm: 'login-server',
      trusted: false,
      caFingerprint: undefined,
      revocationListVersion: 0,
      certificatesKnown: 0,
      lastRefresh: undefined,
    });
  });

  it('refuses a name it does not know, saying which ones it knows', () => {
    const registry = trustMechanisms();
    expect(() => registry.factory('web-of-trust')).toThrow(UnknownTrustMechanismError);
    expect(() => registry.factory('web-of-trust')).toThrow(
      'No trust mechanism "web-of-trust" (known: login-server)',
    );
  });

  it('refuses to sign before it holds credentials, rather than send something unsigned', () => {
    const layer = trustMechanisms().factory('login-server')(unused);
    expect(() => layer.expectEcho('c2ln')).toThrow(NoCredentialsError);
    expect(() => layer.expectEcho('c2ln')).toThrow(
      'The login-server trust layer has no credentials yet: log in first',
    );
  });
});
