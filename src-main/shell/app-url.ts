/**
 * The app's own origin. The renderer is served from `chordline://app/…` rather than file://, so
 * that it has an origin of its own: the Content-Security-Policy's 'self', the IPC sender check
 * and the permission check all compare against it, and no other file on disk is reachable from
 * the page (file:// would make every local file same-origin).
 *
 * `chordline://prompt/…` serves the small passphrase window from resources/prompt/.
 */
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'chordline';
export const APP_HOST = 'app';
export const PROMPT_HOST = 'prompt';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
export const PROMPT_ENTRY_URL = `${APP_SCHEME}://${PROMPT_HOST}/passphrase.html`;

/**
 * Where a page may come from: our scheme and one host, or (development only, never when
 * packaged) the electron-vite dev server's origin.
 */
export interface AppOrigin {
  host: string;
  devServer?: string | null;
}

export function isAppUrl(url: string, origin: AppOrigin): boolean {
  const parsed = parse(url);
  if (parsed === null) return false;
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host.toLowerCase() === origin.host;
  if (!origin.devServer) return false;
  const dev = parse(origin.devServer);
  return (
    dev !== null &&
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    parsed.origin === dev.origin
  );
}

/**
 * The file a `chordline://HOST/PATH` request reads: PATH under the root folder for HOST, or null
 * when the host is unknown or the path would leave the root (`..`, encoded or not, backslashes,
 * NUL). `/` is index.html.
 */
export function resolveAppFile(url: string, roots: Readonly<Record<string, string>>): string | null {
  const parsed = parse(url);
  if (parsed === null || parsed.protocol !== `${APP_SCHEME}:`) return null;
  const host = parsed.host.toLowerCase();
  if (!Object.hasOwn(roots, host)) return null;
  const root = resolve(roots[host]);
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '' || path.endsWith('/')) path += 'index.html';
  const file = resolve(root, `.${path.startsWith('/') ? path : `/${path}`}`);
  return file.startsWith(root + sep) ? file : null;
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
