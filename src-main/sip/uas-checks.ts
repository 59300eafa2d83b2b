import type { RawMessage } from './raw-message.ts';
import { splitCommaList } from './raw-message.ts';
import type { Refusal } from './refusal.ts';
import { badRequest } from './refusal.ts';
import { uriScheme } from './sip-syntax.ts';

/** What a user agent server can do, as the handler that answers as one declares it. */
export interface UasCapabilities {
  /** Option tags this UAS supports (RFC 3261 section 20.37); anything else in Require gets 420. */
  readonly supported: readonly string[];
  /** Body types it understands in requests ("application/sdp"); they go in the Accept of a 415. */
  readonly accept: readonly string[];
  /**
   * Body types its response to this request would carry (an INVITE's answer: application/sdp).
   * Empty or absent: the response has no body, so no Accept header can be unsatisfiable.
   */
  readonly answers?: readonly string[];
  /** Request-URI schemes it serves; default sip and sips. */
  readonly schemes?: readonly string[];
  /** Content codings it understands besides identity (none by default). */
  readonly encodings?: readonly string[];
  /** warn-agent for the Warning header of a 406 (RFC 3261 section 20.43); default "chordline". */
  readonly warnAgent?: string;
}

/**
 * The checks RFC 3261 section 8.2 puts on a user agent server, in its order: Request-URI scheme
 * (416), Require (420), body type and coding (415), and then Accept (406). A request handler
 * that answers as a UAS calls this first and sends the refusal if there is one:
 *
 * ```ts
 * const refusal = checkAsUas(request, { supported: [], accept: ['application/sdp'] });
 * if (refusal) return request.respond(refusal.status, refusal);
 * ```
 *
 * A proxy MUST NOT call it for a request it only forwards: RFC 3261 section 16.3 has a proxy
 * look at Proxy-Require, not Require, and leave bodies and Accept to the endpoints.
 */
export function checkAsUas(
  request: { readonly raw: RawMessage },
  capabilities: UasCapabilities,
): Refusal | undefined {
  const raw = request.raw;
  const method = raw.startLine.split(' ')[0];
  return (
    unsupportedScheme(raw, capabilities) ??
    unsupportedExtension(raw, method, capabilities) ??
    unsupportedBody(raw, capabilities) ??
    unacceptableAnswer(raw, capabilities)
  );
}

/**
 * RFC 3261 section 8.2.2.1: "If the Request-URI uses a scheme not supported by the UAS, it
 * SHOULD reject the request with a 416 (Unsupported URI Scheme) response." (RFC 4475 3.3.2
 * unkscm, 3.3.3 novelsc.)
 */
export function unsupportedScheme(raw: RawMessage, capabilities: UasCapabilities): Refusal | undefined {
  const schemes = capabilities.schemes ?? ['sip', 'sips'];
  const scheme = uriScheme(raw.startLine.split(' ')[1] ?? '');
  if (scheme !== undefined && schemes.includes(scheme)) return undefined;
  return { status: 416, reason: `Unsupported URI Scheme: this node serves ${schemes.join(' and ')} URIs` };
}

/**
 * RFC 3261 section 8.2.2.3: "If a UAS does not understand an option-tag listed in a Require
 * header field, it MUST respond by generating a response with status code 420 (Bad Extension).
 * The UAS MUST add an Unsupported header field, and list in it those options it does not
 * understand amongst those in the Require header field of the request." ... "Require and
 * Proxy-Require MUST NOT be used in a SIP CANCEL request, or in an ACK request sent for a non-2xx
 * response. These header fields MUST be ignored if they are present in these requests."
 * (RFC 4475 3.3.5 bext01.)
 */
export function unsupportedExtension(
  raw: RawMessage,
  method: string,
  capabilities: UasCapabilities,
): Refusal | undefined {
  if (method === 'CANCEL' || method === 'ACK') return undefined;
  const supported = new Set(capabilities.supported.map((t) => t.toLowerCase()));
  const required = raw.values('require').flatMap(splitCommaList);
  const unknown = required.filter((tag) => !supported.has(tag.toLowerCase()));
  if (unknown.length === 0) return undefined;
  return {
    status: 420,
    reason: 'Bad Extension',
    headers: [['Unsupported', [...new Set(unknown)].join(', ')]],
  };
}

/**
 * RFC 3261 section 8.2.3: "If a UAS does not understand the body type, ... it MUST reject the
 * request with a 415 (Unsupported Media Type) response. The response MUST contain an Accept
 * header field listing the types of all bodies it understands ... If the request contained
 * content encodings not understood by the UAS, the response MUST contain an Accept-Encoding
 * header field listing the encodings understood by the UAS." (RFC 4475 3.3.6 invut.)
 *
 * Section 20.15: "The Content-Type header field MUST be present if the body is not empty."
 */
export function unsupportedBody(raw: RawMessage, capabilities: UasCapabilities): Refusal | undefined {
  if (raw.body.length === 0) return undefined;
  const contentType = raw.first('content-type');
  if (contentType === undefined) return badRequest('a body without Content-Type');
  const type = mediaType(contentType);
  const accept = capabilities.accept.map((t) => t.toLowerCase());
  if (!accept.includes(type)) {
    return {
      status: 415,
      reason: `Unsupported Media Type: ${type} is not understood here`,
      headers: [['Accept', capabilities.accept.join(', ')]],
    };
  }
  const encodings = raw.values('content-encoding').flatMap(splitCommaList);
  const known = new Set(['identity', ...(capabilities.encodings ?? []).map((e) => e.toLowerCase())]);
  if (encodings.some((e) => !known.has(e.toLowerCase()))) {
    return {
      status: 415,
      reason: 'Unsupported Media Type: unknown Content-Encoding',
      headers: [['Accept-Encoding', [...known].join(', ')]],
    };
  }
  return undefined;
}

/**
 * RFC 3261 section 21.4.7: 406 "The resource identified by the request is only capable of
 * generating response entities that have content characteristics not acceptable according to
 * the Accept header field sent in the request." Section 20.1: "An empty Accept header field
 * means that no formats are acceptable"; without one, application/sdp is assumed.
 *
 * RFC 4475 3.3.15 (sdp01): "The recipient of this request could respond with a 406 Not
 * Acceptable, with a Warning/399 indicating that a response cannot be formulated in the formats
 * offered in the Accept header field."
 */
export function unacceptableAnswer(raw: RawMessage, capabilities: UasCapabilities): Refusal | undefined {
  const answers = capabilities.answers ?? [];
  const lines = raw.values('accept');
  if (answers.length === 0 || lines.length === 0) return undefined;
  const ranges = lines.flatMap(splitCommaList).map(mediaRange);
  const acceptable = answers.some((answer) =>
    ranges.some((range) => rangeMatches(range, answer.toLowerCase())),
  );
  if (acceptable) return undefined;
  const agent = capabilities.warnAgent ?? 'chordline';
  return {
    status: 406,
    reason: `Not Acceptable: the answer would be ${answers.join(' or ')}`,
    headers: [['Warning', `399 ${agent} "Accept allows none of: ${answers.join(', ')}"`]],
  };
}

/** "Application/SDP; charset=x" → "application/sdp" */
function mediaType(value: string): string {
  return value
    .split(';')[0]
    .trim()
    .toLowerCase()
    .replace(/\s*\/\s*/, '/');
}

interface MediaRange {
  type: string;
  /** q=0 means "not acceptable" (RFC 3261 section 20.1 uses RFC 2616's accept-params). */
  refused: boolean;
}

function mediaRange(value: string): MediaRange {
  const q = /;\s*q\s*=\s*([0-9.]+)/i.exec(value);
  return { type: mediaType(value), refused: q !== null && Number(q[1]) === 0 };
}

function rangeMatches(range: MediaRange, type: string): boolean {
  if (range.refused) return false;
  if (range.type === '*/*' || range.type === type) return true;
  return range.type.endsWith('/*') && type.startsWith(range.type.slice(0, -1));
}
