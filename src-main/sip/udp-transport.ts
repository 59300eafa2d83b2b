import dgram from 'node:dgram';
import { isIP } from 'node:net';

/** Where a datagram goes or came from. */
export interface Endpoint {
  address: string;
  port: number;
}

/** Raised when the UDP port cannot be bound; says what to do about it. */
export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(`UDP port ${port} on ${host} is already in use: stop the other program or choose another port.`);
    this.name = 'PortInUseError';
  }
}

export class BindError extends Error {
  constructor(host: string, port: number, cause: Error) {
    super(`Cannot listen on UDP ${host}:${port}: ${cause.message}`);
    this.name = 'BindError';
  }
}

const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** The largest SIP message this node accepts or sends over UDP (an IPv4 datagram's payload). */
export const MAX_DATAGRAM = 65507;

/**
 * One UDP socket, IPv4 or IPv6 by the address it binds. Datagrams are handed up as byte strings
 * (latin1: one char per octet) so that Content-Length counts what it should.
 *
 * The transport MUST NOT throw into the event loop: send errors reject the returned promise and
 * socket errors after bind are reported to `onError`.
 */
export class UdpTransport {
  onDatagram: (data: string, from: Endpoint) => void = () => {};
  onError: (error: Error) => void = () => {};
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly host: string,
    readonly port: number,
    readonly family: 4 | 6,
  ) {
    socket.on('message', (buf, rinfo) => {
      if (buf.length > MAX_DATAGRAM) return;
      this.onDatagram(buf.toString('latin1'), { address: unmap(rinfo.address), port: rinfo.port });
    });
    socket.on('error', (error) => this.onError(error));
  }

  static bind(host: string, port: number): Promise<UdpTransport> {
    const family = isIP(host) === 6 ? 6 : 4;
    // A burst (or a GC pause) must not overflow the kernel's queue: at 1,000 signed REGISTERs/s
    // the default 208 KiB holds ~90 ms of traffic. The kernel caps this at net.core.rmem_max.
    const socket = dgram.createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      reuseAddr: false,
      recvBufferSize: RECEIVE_BUFFER_BYTES,
    });
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        socket.close();
        reject(
          error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : new BindError(host, port, error),
        );
      };
      socket.once('error', onError);
      socket.bind(port, host, () => {
        socket.off('error', onError);
        const bound = socket.address();
        resolve(new UdpTransport(socket, host, bound.port, family));
      });
    });
  }

  send(data: string, to: Endpoint): Promise<void> {
    if (this.closed) return Promise.reject(new Error('transport closed'));
    const buf = Buffer.from(data, 'latin1');
    let address = to.address;
    if (this.family === 6 && isIP(address) === 4) address = `::ffff:${address}`;
    if (this.family === 4 && isIP(address) === 6) {
      return Promise.reject(new Error(`cannot reach IPv6 ${address} from an IPv4 socket`));
    }
    return new Promise((resolve, reject) => {
      this.socket.send(buf, to.port, address, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}

function unmap(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
