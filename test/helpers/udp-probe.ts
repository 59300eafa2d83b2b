import dgram from 'node:dgram';

/**
 * A bare UDP socket for tests that must speak to a node byte by byte: send a datagram, wait for
 * the datagrams that come back. Stands in for "a SIP element nobody here wrote".
 */
export class UdpProbe {
  private readonly inbox: Array<{ text: string; at: number }> = [];
  private waiters: Array<() => void> = [];

  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (buf) => {
      this.inbox.push({ text: buf.toString('latin1'), at: Date.now() });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(host = '127.0.0.1'): Promise<UdpProbe> {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    return new UdpProbe(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(data: string | Buffer, port: number, host = '127.0.0.1'): Promise<void> {
    const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    return new Promise((resolve, reject) =>
      this.socket.send(buf, port, host, (e) => (e ? reject(e) : resolve())),
    );
  }

  /** Resolves with the next datagram matching `match`, or rejects after `timeoutMs`. */
  async next(match: (text: string) => boolean = () => true, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex((m) => match(m.text));
      if (index >= 0) return this.inbox.splice(index, 1)[0].text;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no matching datagram arrived in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Everything received so far (and forgets it). */
  drain(): Array<{ text: string; at: number }> {
    return this.inbox.splice(0);
  }

  close(): void {
    this.socket.close();
  }
}
