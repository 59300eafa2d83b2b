import { afterEach, describe, expect, it } from 'vitest';
import { currentTimers } from '../../../src-main/sip/index.ts';
import { initLoginServer, LoginServer } from '../../../src-main/trust/login-server/index.ts';
import { startPeers } from '../../helpers/peers.ts';
import { runSipp } from '../../helpers/sipp.ts';
import type { SippMessage, SippRun } from '../../helpers/sipp.ts';
import { tempDirs } from '../../helpers/temp-dir.ts';
import { statusOf, WireTap } from '../../helpers/wire-tap.ts';

/**
 * Interoperability with a SIP implementation nobody here wrote: sipp 3.6.1 (Debian's
 * sip-tester) runs as its own process against a login server and a peer in this process.
 */
describe('a SIP phone nobody here wrote (sipp)', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  /**
   * A login server for ordinary SIP phones. sipp 3.6.1 computes only MD5 and answers only the
   * first WWW-Authenticate of a 401, while our server offers SHA-256 first by default (RFC 8760
   * lets a client pick any challenge it supports; sipp does not look past the first): against
   * the default order it stops with "createAuthHeader: authentication must use MD5 or
   * AKAv1-MD5", exit 255. So this server lists MD5 first, as an operator with such phones would.
   */
  async function loginServerForOldPhones(users: Record<string, string>): Promise<LoginServer> {
    const dirs = tempDirs();
    const dir = dirs.make('chordline-ls-');
    await initLoginServer(dir, {
      domain: 'example.com',
      listen: '127.0.0.1:0',
      digestAlgorithms: ['MD5', 'SHA-256'],
    });
    const ls = await LoginServer.open(dir);
    cleanups.push(() => {
      ls.stop();
      dirs.cleanup();
    });
    for (const [user, password] of Object.entries(users)) ls.store.addUser(user, 'example.com', password);
    await ls.start({ host: '127.0.0.1', port: 0 });
    return ls;
  }

  function hostport(uri: string): string {
    return uri.replace(/^sip:(?:[^@]+@)?/, '');
  }

  function received(run: SippRun, callId?: string): string[] {
    return run.messages
      .filter((m) => m.direction === 'received' && (callId === undefined || m.callId === callId))
      .map((m) => m.startLine);
  }

  function sent(run: SippRun, callId?: string): SippMessage[] {
    return run.messages.filter(
      (m) => m.direction === 'sent' && (callId === undefined || m.callId === callId),
    );
  }

  describe('logging in to the login server with digest', () => {
    it('sipp registers Alice with MD5 digest, and the registrar lists her phone when asked', async () => {
      const ls = await loginServerForOldPhones({ alice: 'correct horse' });
      const credentials = ['-s', 'alice', '-au', 'alice', '-ap', 'correct horse'];

      const login = await runSipp({
        scenario: 'register-auth.xml',
        target: hostport(ls.uri),
        args: credentials,
      });
      expect(login.exitCode, login.summary()).toBe(0);
      expect(login.counter('SuccessfulCall(C)')).toBe(1);
      expect(login.counter('FailedCall(C)')).toBe(0);
      expect(received(login)).toEqual(['SIP/2.0 401 Unauthorized', 'SIP/2.0 200 OK']);
      // It answered the first challenge, which is MD5 on this server.
      const authorization = /^Authorization: (.*)$/m.exec(sent(login)[1].text)?.[1];
      expect(authorization).toMatch(/^Digest .*algorithm=MD5/);

      // The registrar kept the Contact sipp registered...
      const phone = `sip:alice@127.0.0.1:${login.localPort}`;
      expect(ls.context.bindings.get('sip:alice@example.com').map((b) => b.contact)).toEqual([phone]);
      // ...and tells another phone of Alice's that asks (REGISTER without Contact, RFC 3261 10.2.3).
      const query = await runSipp({
        scenario: 'register-query.xml',
        target: hostport(ls.uri),
        args: credentials,
      });
      expect(query.exitCode, query.summary()).toBe(0);
      expect(query.logs).toContain(`binding ${phone}\n`);
      expect(ls.context.bindings.get('sip:alice@example.com')).toHaveLength(1);
    });

    it('a wrong password fails the call with a second 401, and the server goes on serving', async () => {
      const ls = await loginServerForOldPhones({ alice: 'correct horse' });

      const wrong = await runSipp({
        scenario: 'register-auth.xml',
        target: hostport(ls.uri),
        args: ['-s', 'alice', '-au', 'alice', '-ap', 'battery staple'],
      });
      expect(wrong.exitCode, wrong.summary()).toBe(1);
      expect(wrong.counter('FailedCall(C)')).toBe(1);
      // sipp waited for 200 and got 401 again: an unexpected message to its scenario.
      expect(wrong.counter('FailedUnexpectedMessage(C)')).toBe(1);
      expect(received(wrong)).toEqual([
        'SIP/2.0 401 Unauthorized',
        'SIP/2.0 401 Unauthorized: wrong password',
      ]);
      expect(ls.context.bindings.get('sip:alice@example.com')).toEqual([]);

      const right = await runSipp({
        scenario: 'register-auth.xml',
        target: hostport(ls.uri),
        args: ['-s', 'alice', '-au', 'alice', '-ap', 'correct horse'],
      });
      expect(right.exitCode, right.summary()).toBe(0);
      expect(right.counter('SuccessfulCall(C)')).toBe(1);
      expect(ls.context.bindings.get('sip:alice@example.com')).toHaveLength(1);
    });
  });

  describe('calling a peer without signing', () => {
    it('an unsigned INVITE from sipp gets 100 then 428, sipp ACKs, and the 428 is not sent again', async () => {
      const net = await startPeers(['bob']);
      cleanups.push(() => net.stop());
      const tap = new WireTap();
      const bob = await net.peer('bob', tap.tracer);
      tap.events.length = 0; // forget the login

      // sipp's built-in uac: INVITE with SDP, waits for 180/200. Five calls, one every 500 ms.
      const calls = await runSipp({
        scenario: { builtIn: 'uac' },
        target: bob.stack.hostport,
        calls: 5,
        rate: 2,
      });
      const ended = Date.now();

      // sipp counts every call as failed (its uac wants 180 and 200), so read the wire instead.
      expect(calls.exitCode, calls.summary()).toBe(1);
      expect(calls.counter('SuccessfulCall(C)')).toBe(0);
      expect(calls.counter('FailedUnexpectedMessage(C)')).toBe(5);
      const callIds = [...new Set(sent(calls).map((m) => m.callId))];
      expect(callIds).toHaveLength(5);
      for (const callId of callIds) {
        // What sipp saw: one provisional, exactly one final response; what it did: INVITE, then ACK.
        expect(received(calls, callId)).toEqual([
          'SIP/2.0 100 Trying',
          'SIP/2.0 428 Certificate Required: sign the request (application/p2p+xml)',
        ]);
        expect(sent(calls, callId).map((m) => m.startLine.split(' ')[0])).toEqual(['INVITE', 'ACK']);

        // What Bob saw: the ACK reached him, and he sent his 428 once (the ACK stopped Timer G).
        const bobSent = tap.responsesFor(callId!).map(statusOf);
        expect(bobSent).toEqual([100, 428]);
        const acks = tap.events.filter(
          (e) =>
            e.direction === 'in' && e.text.startsWith('ACK ') && e.text.includes(`Call-ID: ${callId}\r\n`),
        );
        expect(acks).toHaveLength(1);
      }
      // The test has teeth: the first call's ACK came long enough before the end that an
      // unacknowledged 428 would have been sent again at T1 and 3*T1 (RFC 3261 17.2.1, Timer G).
      const firstAck = tap.events.find((e) => e.direction === 'in' && e.text.startsWith('ACK '))!;
      expect(ended - firstAck.at.getTime()).toBeGreaterThan(3 * currentTimers().t1);
      // Nor did any late response reach sipp after it had finished a call.
      expect(calls.counter('DeadCallMsgs(C)')).toBe(0);
      expect(calls.counter('OutOfCallMsgs(C)')).toBe(0);

      // Bob refused five callers and still answers.
      expect(bob.stats.refused).toBe(5);
      const alive = await runSipp({ scenario: 'options.xml', target: bob.stack.hostport });
      expect(alive.exitCode, alive.summary()).toBe(0);
      expect(received(alive)).toEqual(['SIP/2.0 200 OK']);
    });
  });
});
