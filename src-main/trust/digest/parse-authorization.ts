import { parseDigestParams } from './parse-digest-params.ts';

/** Digest credentials from an Authorization header (RFC 3261 §22.4, RFC 7616 §3.4). */
export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  /** digest-uri as sent; the registrar compares it loosely with the Request-URI. */
  readonly uri: string;
  /** request-digest, lowercased. */
  readonly response: string;
  /** As sent (undefined when absent, which means MD5); see `parseDigestAlgorithm`. */
  readonly algorithm?: string;
  /** Lowercased qop; undefined for RFC 2069 clients. */
  readonly qop?: string;
  /** nonce-count, 8 lowercase hex digits; present whenever qop is. */
  readonly nc?: string;
  readonly cnonce?: string;
  readonly opaque?: string;
  /** RFC 7616 §3.4.4 username hashing was requested. */
  readonly userhash: boolean;
}

export type AuthorizationParse =
  | { readonly ok: true; readonly credentials: DigestCredentials }
  | { readonly ok: false; readonly reason: 'malformed'; readonly detail: string };

const REQUIRED = ['username', 'realm', 'nonce', 'uri', 'response'] as const;

/**
 * Reads `Digest username="…", realm="…", …`. Never throws: whatever a remote party sends is
 * either credentials or `{ ok: false, reason: 'malformed', detail }`.
 *
 * Unknown parameters are ignored (RFC 7616 §3.4: "Any unrecognized directive MUST be ignored").
 */
export function parseAuthorization(headerValue: string): AuthorizationParse {
  const parsed = parseDigestParams(headerValue);
  if (!parsed.ok) return malformed(parsed.detail);
  if (parsed.scheme.toLowerCase() !== 'digest') {
    return malformed(`scheme is "${parsed.scheme}", not "Digest"`);
  }
  const p = parsed.params;
  for (const name of REQUIRED) {
    if (!p.has(name)) return malformed(`missing "${name}"`);
  }
  const response = p.get('response')!.toLowerCase();
  if (!/^[0-9a-f]+$/.test(response)) return malformed('"response" is not hexadecimal');

  const qop = p.get('qop')?.toLowerCase();
  let nc: string | undefined;
  let cnonce: string | undefined;
  if (qop !== undefined) {
    // RFC 2617 §3.2.2: with qop, cnonce and nonce-count MUST be sent.
    nc = p.get('nc')?.toLowerCase();
    cnonce = p.get('cnonce');
    if (nc === undefined || !/^[0-9a-f]{8}$/.test(nc))
      return malformed('"nc" must be 8 hex digits when qop is sent');
    if (cnonce === undefined || cnonce === '') return malformed('"cnonce" is required when qop is sent');
  }
  // Without qop, RFC 2617 says nc and cnonce MUST NOT be sent; if a sloppy client sends them
  // anyway they take no part in the RFC 2069 computation, so they are ignored, not refused.

  const userhash = p.get('userhash')?.toLowerCase() === 'true';
  return {
    ok: true,
    credentials: {
      username: p.get('username')!,
      realm: p.get('realm')!,
      nonce: p.get('nonce')!,
      uri: p.get('uri')!,
      response,
      algorithm: p.get('algorithm'),
      qop,
      nc,
      cnonce,
      opaque: p.get('opaque'),
      userhash,
    },
  };
}

function malformed(detail: string): AuthorizationParse {
  return { ok: false, reason: 'malformed', detail };
}
