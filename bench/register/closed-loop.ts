import type dgram from 'node:dgram';
import type { Endpoint } from '../../src-main/sip/index.ts';
import { AnswerTally } from './answer-tally.ts';
import type { TallyResult } from './answer-tally.ts';
import type { PreparedRequest } from './signed-registers.ts';

/**
 * Keeps `window` requests outstanding for `durationMs`: each answer (or timeout) sends the next
 * one. The node is kept busy without a queue longer than the window, so this measures what it
 * can do flat out on its core, free of receive-buffer overflow. Bounded by the requests given
 * and by `durationMs` plus `timeoutMs`.
 */
export function closedLoop(options: {
  socket: dgram.Socket;
  target: Endpoint;
  requests: PreparedRequest[];
  window: number;
  durationMs: number;
  timeoutMs: number;
  sampleEvery: number;
}): Promise<TallyResult & { elapsedMs: number }> {
  const { socket, target, requests, timeoutMs } = options;
  const tally = new AnswerTally(timeoutMs, options.sampleEvery);
  const start = performance.now();
  let next = 0;
  let sendMs = 0;
  const send = () => {
    if (next >= requests.length || performance.now() - start > options.durationMs) {
      sendMs ||= performance.now() - start;
      return;
    }
    const request = requests[next++];
    tally.noteSent(request.callId);
    socket.send(request.datagram, target.port, target.address, (error) => {
      if (error) tally.sendErrors++;
    });
  };
  const onMessage = (datagram: Buffer) => {
    if (tally.noteAnswer(datagram)) send();
  };
  socket.on('message', onMessage);
  for (let i = 0; i < options.window; i++) send();

  return new Promise((resolve) => {
    const deadline = start + options.durationMs + timeoutMs;
    const poll = () => {
      for (let lost = tally.expire(); lost > 0; lost--) send();
      if ((sendMs > 0 && tally.outstanding === 0) || performance.now() > deadline) {
        socket.off('message', onMessage);
        resolve({
          ...tally.result(sendMs || performance.now() - start),
          elapsedMs: performance.now() - start,
        });
      } else setTimeout(poll, 20);
    };
    poll();
  });
}
