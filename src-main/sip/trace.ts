import type { Endpoint } from './udp-transport.ts';

/** One SIP message crossing this node's socket, for `--trace`. */
export interface TraceEvent {
  direction: 'in' | 'out';
  local: Endpoint;
  remote: Endpoint;
  /** The message as a byte string (latin1), exactly as it crossed the wire. */
  text: string;
  at: Date;
}

export type Tracer = (event: TraceEvent) => void;

/** A tracer that prints every message in the usual sngrep-like form to a stream. */
export function streamTracer(write: (line: string) => void): Tracer {
  return (e) => {
    const arrow = e.direction === 'in' ? '<<<' : '>>>';
    const who = `${e.remote.address}:${e.remote.port}`;
    const body = Buffer.from(e.text, 'latin1').toString('utf8').replace(/\r\n/g, '\n');
    write(`${arrow} ${e.at.toISOString()} ${e.direction === 'in' ? 'from' : 'to'} ${who}\n${body}\n`);
  };
}
