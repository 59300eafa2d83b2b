/**
 * What if the node's UDP socket had a 4 MiB receive buffer instead of the system default
 * (208 KiB here)? An experiment, not part of `chordline bench`: preloaded into every process
 * of a run, it adds `recvBufferSize` to each UDP socket created. See docs/BENCHMARKS.md.
 *
 *   NODE_OPTIONS="--import tsx --import ./bench/what-if-receive-buffer.ts" node bin/chordline.js bench register
 *
 * Linux caps the size at net.core.rmem_max (4 MiB on the benchmark machine).
 */
import dgram from 'node:dgram';

const RECEIVE_BUFFER = 4 * 1024 * 1024;
const createSocket = dgram.createSocket;

dgram.createSocket = function (options: dgram.SocketType | dgram.SocketOptions, listener?: never) {
  const withBuffer = typeof options === 'string' ? { type: options } : options;
  return createSocket.call(dgram, { recvBufferSize: RECEIVE_BUFFER, ...withBuffer }, listener);
} as typeof dgram.createSocket;
