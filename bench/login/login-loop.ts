import type dgram from 'node:dgram';
import type { Endpoint } from '../../src-main/sip/index.ts';
import { digestResponse } from '../../src-main/trust/digest/index.ts';
import { callIdOf, headerValues, statusOf } from '../sip-text.ts';
import { quantile } from '../summary.ts';
import type { PreparedLogin } from './prepared-login.ts';

const T1_MS = 500;
const T2_MS = 4_000;

export interface LoginLoopResult {
  completed: number;
  /** Requests sent again because no answer came within T1 (a datagram was lost). */
  retransmissions: number;
  failed: number;
  /** From the first REGISTER of the first login to the 200 of the last. */
  elapsedMs: number;
  latencyMs: { p50: number; p95: number; max: number };
  failures: Record<string, number>;
  /** The 200s to check after the window, with the login each answers. */
  sample: Array<{ login: PreparedLogin; text: string }>;
  /** The prepared logins ran out before the time was up. */
  exhausted: boolean;
}

/**
 * `concurrency` logins in flight at all times (closed loop): each one REGISTER → 401 → REGISTER
 * with digest credentials → 200 with the signed CertificateIssued, then the next. New logins
 * start until `durationMs` has passed; each step of a login waits at most `timeoutMs`.
 */
export function loginLoop(options: {
  socket: dgram.Socket;
  target: Endpoint;
  loginServer: string;
  logins: PreparedLogin[];
  concurrency: number;
  durationMs: number;
  timeoutMs: number;
  sampleEvery: number;
}): Promise<LoginLoopResult> {
  const { socket, target, logins } = options;
  const waiting = new Map<string, (text: string | undefined) => void>();
  const onMessage = (buf: Buffer) => {
    const text = buf.toString('latin1');
    const status = statusOf(text);
    const callId = callIdOf(text);
    const cseq = headerValues(text, 'cseq')[0]?.split(/\s+/)[0];
    if (status < 200 || !callId || !cseq) return;
    const key = `${callId} ${cseq}`;
    const resolve = waiting.get(key);
    if (!resolve) return;
    waiting.delete(key);
    resolve(text);
  };
  socket.on('message', onMessage);
  let retransmissions = 0;
  const send = (datagram: Buffer) => socket.send(datagram, target.port, target.address, () => {});
  // RFC 3261 section 17.1.2.2 over UDP: resend after T1, doubling up to T2, until an answer or
  // the time limit, as a real client would; the server's transaction absorbs the copies.
  /** Sends a request and resolves with its final answer (`key` is "Call-ID CSeq-number"). */
  const answer = (key: string, datagram: Buffer): Promise<string | undefined> =>
    new Promise((resolve) => {
      let interval = T1_MS;
      let resend = setTimeout(function again() {
        retransmissions++;
        send(datagram);
        interval = Math.min(2 * interval, T2_MS);
        resend = setTimeout(again, interval);
      }, interval);
      const timer = setTimeout(() => {
        clearTimeout(resend);
        waiting.delete(key);
        resolve(undefined);
      }, options.timeoutMs);
      waiting.set(key, (text) => {
        clearTimeout(timer);
        clearTimeout(resend);
        resolve(text);
      });
      send(datagram);
    });

  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const sample: LoginLoopResult['sample'] = [];
  let next = 0;
  let completed = 0;
  const start = performance.now();
  let lastDone = start;
  const fail = (why: string) => {
    failures[why] = (failures[why] ?? 0) + 1;
  };

  const one = async (login: PreparedLogin) => {
    const t0 = performance.now();
    const challenge = await answer(`${login.callId} 1`, login.first);
    if (challenge === undefined) return fail('no answer to the first REGISTER');
    if (statusOf(challenge) !== 401) return fail(`first REGISTER: ${statusOf(challenge)}`);
    const authorization = digestResponse({
      challengeHeaderValue: headerValues(challenge, 'www-authenticate'),
      method: 'REGISTER',
      uri: options.loginServer,
      username: login.user.name,
      password: login.user.password,
    });
    const second = Buffer.from(
      `${login.secondStart}Authorization: ${authorization}\r\n${login.secondRest}`,
      'latin1',
    );
    const issued = await answer(`${login.callId} 2`, second);
    if (issued === undefined) return fail('no answer to the second REGISTER');
    if (statusOf(issued) !== 200) return fail(`second REGISTER: ${statusOf(issued)}`);
    lastDone = performance.now();
    latencies.push(lastDone - t0);
    if (completed++ % options.sampleEvery === 0) sample.push({ login, text: issued });
  };

  let exhausted = false;
  const lane = async () => {
    while (next < logins.length && performance.now() - start < options.durationMs) await one(logins[next++]);
    if (next >= logins.length && performance.now() - start < options.durationMs) exhausted = true;
  };

  return Promise.all(Array.from({ length: options.concurrency }, lane)).then(() => {
    socket.off('message', onMessage);
    return {
      completed,
      retransmissions,
      failed: Object.values(failures).reduce((a, b) => a + b, 0),
      elapsedMs: lastDone - start,
      latencyMs: {
        p50: quantile(latencies, 0.5),
        p95: quantile(latencies, 0.95),
        max: quantile(latencies, 1),
      },
      failures,
      sample,
      exhausted,
    };
  });
}
