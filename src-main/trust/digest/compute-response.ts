import { digestHex, type DigestAlgorithm } from './digest-algorithm.ts';

/** What the `response` parameter is computed from; shared by the server check and the client. */
export interface ResponseInput {
  readonly algorithm: DigestAlgorithm;
  /** Lowercase hex H(username:realm:password); see `ha1()`. */
  readonly ha1: string;
  /** The SIP method of the request (RFC 3261 §22.4: "method" is the request method). */
  readonly method: string;
  /** The `uri` parameter exactly as it appears in the Authorization header. */
  readonly uri: string;
  readonly nonce: string;
  /**
   * Present for qop=auth. Absent means the RFC 2069 form, which old clients (and some sipp
   * scenarios) still send when the challenge offered no qop.
   */
  readonly qopAuth?: { readonly nc: string; readonly cnonce: string };
}

/**
 * request-digest of RFC 2617 §3.2.2.1 / RFC 7616 §3.4.1:
 *
 *   HA2 = H(method ":" uri)
 *   qop=auth:  response = H(HA1 ":" nonce ":" nc ":" cnonce ":" "auth" ":" HA2)
 *   no qop:    response = H(HA1 ":" nonce ":" HA2)
 */
export function computeResponse(input: ResponseInput): string {
  const ha2 = digestHex(input.algorithm, `${input.method}:${input.uri}`);
  if (input.qopAuth === undefined) {
    return digestHex(input.algorithm, `${input.ha1}:${input.nonce}:${ha2}`);
  }
  const { nc, cnonce } = input.qopAuth;
  return digestHex(input.algorithm, `${input.ha1}:${input.nonce}:${nc}:${cnonce}:auth:${ha2}`);
}
