import type dgram from 'node:dgram';
import type { Endpoint } from '../../src-main/sip/index.ts';
import { quantile } from '../summary.ts';
import type { PreparedRequest } from './signed-registers.ts';

export interface OpenLoopResult {
  sent: number;
  /** How long sending took; sent / this is the rate actually offered. */
  sendMs: number;
  /** Final responses by status code that arrived within the time limit. */
  statuses: Record<string, number>;
  /** Requests with no answer within the time limit (late answers count here too). */
  timeouts: number;
  sendErrors: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Text of every `sampleEvery`-th 200, to verify after the window. */
  sample: string[];
}

const STATUS = /^SIP\/2\.0 (\d{3})/;
const CALL_ID = /\r\n(?:Call-ID|i)[ \t]*:[ \t]*([^\r\n]+)/i;

/**
 * Sends `requests` at `rate` per second whatever the answers do (open loop: a slow node faces
 * the same offered load, as it would from many independent peers), and matches each answer to
 * its request by Call-ID. Sending spins on setImmediate so that the pace is exact to well under
 * a millisecond; answers are read between turns.
 *
 * Bounded: sending ends after the last request, collecting `timeoutMs` after it.
 */
export function openLoop(options: {
  socket: dgram.Socket;
  target: Endpoint;
  requests: PreparedRequest[];
  rate: number;
  timeoutMs: number;
  sampleEvery: number;
}): Promise<OpenLoopResult> {
  const { socket, target, requests, rate, timeoutMs } = options;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const sample: string[] = [];
  let sendErrors = 0;
  let answered = 0;
  let oks = 0;

  const onMessage = (buf: Buffer) => {
    const now = performance.now();
    const text = buf.toString('latin1');
    const status = STATUS.exec(text)?.[1];
    const callId = CALL_ID.exec(text)?.[1]?.trim();
    if (!status || status < '200' || !callId) return;
    const at = sentAt.get(callId);
    if (at === undefined || now - at > timeoutMs) return;
    sentAt.delete(callId);
    answered++;
    latencies.push(now - at);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === '200' && oks++ % options.sampleEvery === 0) sample.push(text);
  };
  socket.on('message', onMessage);

  return new Promise((resolve) => {
    const start = performance.now();
    let sent = 0;
    let sendMs = 0;
    const finish = () => {
      socket.off('message', onMessage);
      resolve({
        sent,
        sendMs,
        statuses,
        timeouts: sent - answered,
        sendErrors,
        latencyMs: {
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          max: quantile(latencies, 1),
        },
        sample,
      });
    };
    const collect = () => {
      const deadline = performance.now() + timeoutMs;
      const poll = () => {
        if (answered === sent || performance.now() > deadline) finish();
        else setTimeout(poll, 20);
      };
      poll();
    };
    const tick = () => {
      const now = performance.now();
      const due = Math.min(requests.length, Math.floor(((now - start) * rate) / 1000) + 1);
      while (sent < due) {
        const request = requests[sent++];
        sentAt.set(request.callId, performance.now());
        socket.send(request.datagram, target.port, target.address, (error) => {
          if (error) sendErrors++;
        });
      }
      if (sent < requests.length) setImmediate(tick);
      else {
        sendMs = performance.now() - start;
        collect();
      }
    };
    tick();
  });
}
