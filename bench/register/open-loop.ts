import type dgram from 'node:dgram';
import type { Endpoint } from '../../src-main/sip/index.ts';
import { AnswerTally } from './answer-tally.ts';
import type { TallyResult } from './answer-tally.ts';
import type { PreparedRequest } from './signed-registers.ts';

/**
 * Sends `requests` at `rate` per second whatever the answers do (open loop: a slow node faces
 * the same offered load, as it would from many independent peers). Sending spins on
 * setImmediate so that the pace is exact to well under a millisecond; answers are read between
 * turns.
 *
 * Bounded: sending ends after the last request, collecting at most `timeoutMs` after it.
 */
export function openLoop(options: {
  socket: dgram.Socket;
  target: Endpoint;
  requests: PreparedRequest[];
  rate: number;
  timeoutMs: number;
  sampleEvery: number;
}): Promise<TallyResult> {
  const { socket, target, requests, rate, timeoutMs } = options;
  const tally = new AnswerTally(timeoutMs, options.sampleEvery);
  const onMessage = (datagram: Buffer) => void tally.noteAnswer(datagram);
  socket.on('message', onMessage);

  return new Promise((resolve) => {
    const start = performance.now();
    let next = 0;
    const collect = (sendMs: number) => {
      const deadline = performance.now() + timeoutMs;
      const poll = () => {
        if (tally.answered === tally.sent || performance.now() > deadline) {
          socket.off('message', onMessage);
          resolve(tally.result(sendMs));
        } else setTimeout(poll, 20);
      };
      poll();
    };
    const tick = () => {
      const due = Math.min(requests.length, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (next < due) {
        const request = requests[next++];
        tally.noteSent(request.callId);
        socket.send(request.datagram, target.port, target.address, (error) => {
          if (error) tally.sendErrors++;
        });
      }
      if (next < requests.length) setImmediate(tick);
      else collect(performance.now() - start);
    };
    tick();
  });
}
