import { KeyStore } from '../../src-main/keystore/index.ts';
import { SipStack } from '../../src-main/sip/index.ts';
import { login } from '../../src-main/trust/login-client.ts';
import { PeerTrust } from '../../src-main/trust/peer-trust.ts';

/** A user logged in for real, whose trust layer signs the benchmark's requests. */
export interface BenchIdentity {
  aor: string;
  trust: PeerTrust;
}

/**
 * Logs each user in to the login server (Figure 2: digest, then a certificate for a fresh key),
 * one after another on one SIP stack, and keeps that stack: it builds the benchmark's requests.
 */
export async function logInIdentities(options: {
  loginServer: string;
  domain: string;
  users: Array<[name: string, password: string]>;
  folder: (name: string) => string;
}): Promise<{ stack: SipStack; identities: BenchIdentity[]; caCertPem: string }> {
  const stack = await SipStack.listen({ host: '127.0.0.1', port: 0, userAgent: 'Chordline bench' });
  const identities: BenchIdentity[] = [];
  let caCertPem = '';
  try {
    for (const [name, password] of options.users) {
      const keystore = await KeyStore.open(options.folder(name), 'bench passphrase');
      const aor = `sip:${name}@${options.domain}`;
      const result = await login({ stack, keystore, loginServer: options.loginServer, aor, password });
      const { privateKeyPem } = keystore.identity();
      identities.push({
        aor,
        trust: new PeerTrust({ privateKeyPem, certPem: result.certPem, caCertPem: result.caCertPem }),
      });
      caCertPem = result.caCertPem;
    }
  } catch (error) {
    stack.close();
    throw error;
  }
  return { stack, identities, caCertPem };
}
