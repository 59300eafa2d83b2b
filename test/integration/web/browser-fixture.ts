import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ClientOptions } from 'ws';
import type { SocketConstructor } from '../../../src-main/ipc/ws-client.ts';

/** A stand-in for the built UI: an index.html and one script, enough to test the serving. */
export function fixtureUi(dir: string): string {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body>Chordline fixture</body></html>\n',
  );
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("the phone");\n');
  return dir;
}

/**
 * Node's stand-in for a browser tab's WebSocket: browsers always send the page's Origin; the
 * `ws` package sends none unless told.
 */
export function browserSocket(origin?: (url: string) => string): SocketConstructor {
  return class extends WebSocket {
    constructor(url: string, options: ClientOptions = {}) {
      super(url, { ...options, origin: origin ? origin(url) : new URL(url).origin.replace(/^ws/, 'http') });
    }
  } as unknown as SocketConstructor;
}

/** A raw socket (no client library) with every text frame it received, parsed, kept from the start. */
export interface RawSocket {
  socket: WebSocket;
  /** The first frame not yet taken that satisfies `wanted` (now, or when it comes). */
  next(wanted?: (frame: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

/**
 * Opens a raw socket and resolves once it is open, or with the refusal's status. Frames are kept
 * from the first byte: the server speaks first (appChanged), possibly in the same packet as the
 * handshake's answer, before anyone could listen after `open`.
 */
export function rawSocket(
  url: string,
  options: ClientOptions = {},
): Promise<RawSocket | { refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    const frames: Array<Record<string, unknown>> = [];
    const waiting: Array<{
      wanted: (f: Record<string, unknown>) => boolean;
      take: (f: Record<string, unknown>) => void;
    }> = [];
    const offer = () => {
      for (const w of [...waiting]) {
        const i = frames.findIndex(w.wanted);
        if (i < 0) continue;
        const [frame] = frames.splice(i, 1);
        waiting.splice(waiting.indexOf(w), 1);
        w.take(frame);
      }
    };
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
      offer();
    });
    const next = (wanted: (f: Record<string, unknown>) => boolean = () => true) =>
      new Promise<Record<string, unknown>>((take) => {
        waiting.push({ wanted, take });
        offer();
      });
    socket.once('open', () => resolve({ socket, next }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.on('error', (error) => reject(error)); // after a refusal, a late error changes nothing
  });
}
