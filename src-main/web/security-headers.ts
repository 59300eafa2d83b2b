import type { OutgoingHttpHeaders } from 'node:http';

/**
 * The page may load its own scripts, styles, fonts, images and sounds, and talk to its own
 * WebSocket; nothing else. No inline script, no eval, no frames, no forms posting elsewhere.
 * Inline styles are allowed: Svelte writes style attributes, and a style cannot run code. The
 * Electron shell sets the same policy on its window (shell/content-security-policy.ts), less
 * this server's WebSocket.
 */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "media-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** On every answer. The token is in the page's URL: `no-referrer` keeps it from leaking to links. */
export const COMMON_HEADERS: OutgoingHttpHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function htmlHeaders(port: number): OutgoingHttpHeaders {
  return {
    ...COMMON_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': contentSecurityPolicy(port),
    'Cache-Control': 'no-store',
  };
}
