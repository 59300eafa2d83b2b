import dgram from 'node:dgram';

/**
 * A load generator's UDP socket on 127.0.0.1 with a large receive buffer, so that answers are
 * never lost on the generator's side: any loss a benchmark sees is the system under test's.
 */
export function bindLoadSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** sip:HOST:PORT or sip:user@HOST:PORT (IPv4) → the endpoint to send to. */
export function endpointOf(uri: string): { address: string; port: number } {
  const m = /^sip:(?:[^@]+@)?([\d.]+):(\d+)$/.exec(uri);
  if (!m) throw new Error(`${uri} is not sip:[user@]IPv4:PORT`);
  return { address: m[1], port: Number(m[2]) };
}
