/**
 * Serves `chordline://HOST/PATH` from the folder registered for HOST (the built renderer, the
 * passphrase page), with the Content-Security-Policy on every response.
 */
import { readFile } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { APP_SCHEME, mimeType, resolveAppFile } from './app-url.ts';

/**
 * MUST run before the app is ready: Chromium fixes a scheme's privileges at start. 'standard'
 * gives the pages a real origin (so relative URLs and 'self' work), 'secure' makes it a secure
 * context (required for getUserMedia, the microphone). The renderer's bundle is an ES module,
 * fetched in CORS mode; 'corsEnabled' lets Chromium's module loader accept it from a custom
 * scheme (it would only matter to pages of other origins, and the window never shows one).
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

export function serveAppScheme(session: Session, roots: Readonly<Record<string, string>>, csp: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const file = resolveAppFile(request.url, roots);
    if (file === null) return new Response(null, { status: 404 });
    let body: Buffer;
    try {
      // Electron's fs reads inside app.asar as if it were a folder.
      body = await readFile(file);
    } catch {
      return new Response(null, { status: 404 });
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': mimeType(file),
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      },
    });
  });
}
