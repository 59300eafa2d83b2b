import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { PhoneService } from '../ipc/contract.ts';
import { cookieValue, newAccessToken, sameToken, tokenCookieName } from './access-token.ts';
import { serveIpc } from './ipc-socket.ts';
import { sendNotice, sendStatic, sendText } from './static-files.ts';

/** Where the UI is: served from `dir`, still being built, or not available (and why). */
export type UiFolder =
  { state: 'ready'; dir: string } | { state: 'building' } | { state: 'missing'; why: string };

export interface WebServerOptions {
  phone: PhoneService;
  /** 0: any free port. */
  port: number;
  ui: () => UiFolder;
  /** Default: a fresh random one. */
  token?: string;
}

export interface WebServer {
  /** http://127.0.0.1:PORT/?token=TOKEN: what the person opens. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Closes the pages' connections and the port. Safe twice. */
  close(): Promise<void>;
}

/** The largest frame a page may send: an imported PKCS#12 file in base64 is a few kilobytes. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Browser mode: the phone's UI and its WebSocket carrier on http://127.0.0.1:PORT, for the
 * computers where Electron cannot start. Loopback only, and every request must carry the token
 * (in the URL, or the cookie the first page load sets for its scripts); the WebSocket also
 * checks that the page asking is this server's own (Origin), and the Host header is checked on
 * everything, so that a web page elsewhere cannot reach the phone by renaming itself
 * 127.0.0.1 (DNS rebinding).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? newAccessToken();
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  const server = createServer();
  let port = 0;

  const allowed = (req: IncomingMessage): { ok: boolean; byQuery: boolean } => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!ownHost(req.headers.host, port)) return { ok: false, byQuery: false };
    if (sameToken(url.searchParams.get('token'), token)) return { ok: true, byQuery: true };
    return { ok: sameToken(cookieValue(req.headers.cookie, tokenCookieName(port)), token), byQuery: false };
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'The phone could not answer this request');
      else res.destroy();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const access = allowed(req);
    if (!access.ok) {
      return sendText(
        res,
        403,
        'Forbidden: open the address "chordline start" printed, with its ?token=..., on this computer',
      );
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendText(res, 405, 'Only GET', { Allow: 'GET, HEAD' });
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (pathname === '/ipc')
      return sendText(res, 426, 'This address is the WebSocket', { Upgrade: 'websocket' });
    if (access.byQuery) {
      // The page's own scripts and styles are fetched without the token: the cookie carries it.
      res.setHeader('Set-Cookie', `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    }
    const ui = options.ui();
    if (ui.state === 'building') {
      return sendNotice(
        res,
        port,
        503,
        "The phone's screen is being built; this page reloads in a moment.",
        true,
      );
    }
    if (ui.state === 'missing') {
      return sendNotice(res, port, 503, `The phone runs, but its screen is not available: ${ui.why}.`, false);
    }
    await sendStatic(res, ui.dir, pathname, port, req.method === 'HEAD');
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    if (
      pathname !== '/ipc' ||
      !allowed(req).ok ||
      // Browsers always send Origin on a WebSocket; a page from anywhere else is refused here.
      origin !== `http://${req.headers.host}`
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveIpc(ws, options.phone));
  });

  await listen(server, options.port);
  port = (server.address() as { port: number }).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.close(1001, 'the phone is stopping');
        // A page that does not answer the close handshake at once is cut off.
        setTimeout(() => sockets.clients.forEach((client) => client.terminate()), 300).unref();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** 127.0.0.1:PORT or localhost:PORT: the names under which this computer reaches itself. */
function ownHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}
