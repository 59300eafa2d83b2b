import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LoginError } from '../../../src-main/trust/login-client.ts';
import type { TraceEvent } from '../../../src-main/sip/index.ts';
import { startNetwork } from '../../helpers/network.ts';
import { UdpProbe } from '../../helpers/udp-probe.ts';

type Network = Awaited<ReturnType<typeof startNetwork>>;

describe('logging in to the login server (paper, Figure 2)', () => {
  let net: Network;
  afterEach(() => net?.stop());

  it('Alice logs in with the right password and gets a certificate that openssl verifies against the CA', async () => {
    net = await startNetwork({ users: { alice: 'correct horse' } });
    const alice = await net.peer('alice');
    const result = await alice.login('correct horse');
    expect(result.aor).toBe('sip:alice@example.com');
    expect(result.nodeId).toBe(alice.keystore.identity().nodeId);
    expect(result.refreshRate).toBe(60);

    const dir = net.dirs.make();
    writeFileSync(join(dir, 'ca.pem'), result.caCertPem);
    writeFileSync(join(dir, 'alice.pem'), result.certPem);
    const verdict = execFileSync('openssl', [
      'verify',
      '-CAfile',
      join(dir, 'ca.pem'),
      join(dir, 'alice.pem'),
    ]);
    expect(verdict.toString()).toContain('alice.pem: OK');
    // The key store kept it, so the next start needs no login.
    expect(alice.keystore.identity().certPem).toBe(result.certPem);
  });

  it('a wrong password gets 401 again, and the login says so in plain words', async () => {
    net = await startNetwork({ users: { alice: 'correct horse' } });
    const seen: TraceEvent[] = [];
    const alice = await net.peer('alice', (e) => seen.push(e));
    const failure = await alice.login('battery staple').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LoginError);
    expect((failure as LoginError).problem).toBe('wrong-password');
    expect((failure as Error).message).toBe('Wrong password for sip:alice@example.com');
    const answers = seen.filter((e) => e.direction === 'in').map((e) => e.text.split('\r\n')[0]);
    expect(answers).toEqual(['SIP/2.0 401 Unauthorized', 'SIP/2.0 401 Unauthorized: wrong password']);
  });

  it('the 401 offers SHA-256 first and MD5 second (RFC 8760)', async () => {
    net = await startNetwork({ users: { alice: 'pw' } });
    const seen: TraceEvent[] = [];
    const alice = await net.peer('alice', (e) => seen.push(e));
    await alice.login('pw');
    const challenge = seen.find((e) => e.direction === 'in' && e.text.startsWith('SIP/2.0 401'))!.text;
    const offered = [...challenge.matchAll(/WWW-Authenticate: Digest .*algorithm=([A-Z0-9-]+)/g)].map(
      (m) => m[1],
    );
    expect(offered).toEqual(['SHA-256', 'MD5']);
  });

  it('an unknown user is refused with 403 and told to ask the operator', async () => {
    net = await startNetwork({ users: { alice: 'pw' } });
    const mallory = await net.peer('mallory');
    const failure = (await mallory.login('pw').catch((e: unknown) => e)) as LoginError;
    expect(failure.problem).toBe('unknown-user');
    expect(failure.status).toBe(403);
    expect(failure.message).toMatch(/ask its operator/);
  });

  it('a REGISTER replayed with a nonce that already logged someone in is refused', async () => {
    net = await startNetwork({ users: { alice: 'pw' } });
    const seen: TraceEvent[] = [];
    const alice = await net.peer('alice', (e) => seen.push(e));
    await alice.login('pw');
    const authorized = seen.find((e) => e.direction === 'out' && /\r\nAuthorization: /.test(e.text))!.text;
    const probe = await UdpProbe.open();
    try {
      const replay = authorized.replace(/branch=[^;\r\n]+/, 'branch=z9hG4bKreplay1').replace(/;rport/, '');
      const port = Number(/:(\d+)$/.exec(net.ls.uri)![1]);
      await probe.send(
        replay.replace(/Via: SIP\/2.0\/UDP [^;]+/, `Via: SIP/2.0/UDP 127.0.0.1:${probe.port}`),
        port,
      );
      const answer = await probe.next();
      expect(answer.split('\r\n')[0]).toMatch(/^SIP\/2\.0 401/);
      expect(answer).toMatch(/stale=true/i);
    } finally {
      probe.close();
    }
  });

  it('a CertificateRequest whose NodeID is not the SHA-1 of its key is refused with 403', async () => {
    net = await startNetwork({ users: { alice: 'pw' } });
    const alice = await net.peer('alice');
    const { nodeId: real } = await alice.keystore.generateIdentity();
    const forged = real.startsWith('0') ? '1' + real.slice(1) : '0' + real.slice(1);
    // Mallory's trick: rewrite the NodeID in her own request on its way out.
    const original = alice.stack.buildRequest.bind(alice.stack);
    alice.stack.buildRequest = (spec) => original({ ...spec, body: spec.body?.replace(real, forged) });
    const failure = (await alice.login('pw').catch((e: unknown) => e)) as LoginError;
    expect(failure.status).toBe(403);
    expect(failure.message).toMatch(/NodeID does not match its public key/);
  });

  it('the login server keeps serving after refusing: Bob logs in right after Mallory failed', async () => {
    net = await startNetwork({ users: { bob: 'pw' } });
    const mallory = await net.peer('mallory');
    await mallory.login('guess').catch(() => undefined);
    const bob = await net.peer('bob');
    expect((await bob.login('pw')).aor).toBe('sip:bob@example.com');
  });

  it('repeated wrong passwords from one address are answered more and more slowly; the right one resets it', async () => {
    net = await startNetwork({ users: { alice: 'pw' } });
    const throttle = net.ls.context.throttle;
    const mallory = await net.peer('alice');
    for (let i = 0; i < 4; i++) await mallory.login(`guess ${i}`).catch(() => undefined);
    expect(throttle.failuresOf('127.0.0.1')).toBe(4);
    expect(throttle.delayFor('127.0.0.1')).toBeGreaterThan(0);
    await mallory.login('pw');
    expect(throttle.delayFor('127.0.0.1')).toBe(0);
  });
});
