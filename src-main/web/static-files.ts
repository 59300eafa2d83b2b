import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { COMMON_HEADERS, htmlHeaders } from './security-headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Sends one file of the built UI, or 404. `pathname` is the URL's path, still encoded; anything
 * that would leave `root` (.., encoded slashes, NUL) is a 404 like any missing file.
 */
export async function sendStatic(
  res: ServerResponse,
  root: string,
  pathname: string,
  port: number,
  head: boolean,
): Promise<void> {
  let path: string;
  try {
    path = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return notFound(res);
  }
  const base = resolve(root);
  const file = resolve(base, '.' + path);
  if (path.includes('\0') || path.includes('\\') || !file.startsWith(base + sep)) return notFound(res);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return notFound(res);
    size = info.size;
  } catch {
    return notFound(res);
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers = type.startsWith('text/html')
    ? htmlHeaders(port)
    : { ...COMMON_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache' };
  res.writeHead(200, { ...headers, 'Content-Length': size });
  if (head) return void res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text + '\n');
}

/** A page of plain words (the UI is being built, or could not be): no script, so no CSP exception. */
export function sendNotice(
  res: ServerResponse,
  port: number,
  status: number,
  text: string,
  reload: boolean,
): void {
  const escaped = text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, htmlHeaders(port));
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Chordline</title>` +
      (reload ? '<meta http-equiv="refresh" content="2">' : '') +
      `</head><body><p>${escaped}</p></body></html>\n`,
  );
}

function notFound(res: ServerResponse): void {
  sendText(res, 404, 'Not found');
}
