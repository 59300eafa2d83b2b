import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Browser mode's only lock: the server listens on 127.0.0.1, but every program and every web
 * page on this computer can reach 127.0.0.1. The token in the printed URL is what tells the
 * person's own browser tab apart from them (as Jupyter does). 256 random bits, fresh each run.
 */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares in constant time, so that a page cannot learn the token a character at a time from
 * how fast it is refused. Both sides are hashed first: timingSafeEqual wants equal lengths, and
 * comparing lengths would leak the length.
 */
export function sameToken(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The cookie that lets the page load its scripts after it came in with the token. Per port: two phones on one computer share the cookie jar of 127.0.0.1. */
export function tokenCookieName(port: number): string {
  return `chordline-token-${port}`;
}

/** The value of one cookie from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
