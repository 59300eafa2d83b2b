import { addressListProblem, addressProblem } from './address-syntax.ts';
import { dateProblem } from './date-syntax.ts';
import { isKnownMethod } from './methods.ts';
import type { RawMessage } from './raw-message.ts';
import { canonicalName } from './raw-message.ts';
import { badRequest } from './refusal.ts';
import type { Refusal } from './refusal.ts';
import {
  contentLengthProblem,
  maxForwardsProblem,
  parseCSeq,
  retryAfterProblem,
  warningProblem,
} from './scalar-fields.ts';
import { clip, isToken, isWord, paramProblem } from './sip-syntax.ts';
import { checkRequestLine, checkStatusLine, requestLineUri } from './start-line.ts';
import { viaProblem } from './via-syntax.ts';

export type { Refusal } from './refusal.ts';

/**
 * RFC 3261 section 7.3.1: "Multiple header field rows with the same field-name MAY be present in
 * a message if and only if the entire field-value for that header field is defined as a
 * comma-separated list". These are not (RFC 4475 3.3.8 multi01, 3.3.9 mcl01).
 */
const SINGLE_VALUED = [
  'to',
  'from',
  'call-id',
  'cseq',
  'max-forwards',
  'content-length',
  'content-type',
  'expires',
  'date',
  'min-expires',
  'retry-after',
  'mime-version',
];

/**
 * RFC 3261 section 8.1.1: a request contains "at a minimum ... To, From, CSeq, Call-ID,
 * Max-Forwards, and Via". Max-Forwards is left out: RFC 2543 had none, and RFC 4475 3.4.1 asks
 * that such a request be accepted.
 */
const REQUIRED = ['via', 'from', 'to', 'call-id', 'cseq'];

/**
 * Strict checks on a request before any transaction or handler sees it (RFC 3261 sections 7,
 * 8.2, 18.3 and 25; RFC 4475 section 3.1.2). These are the syntax every role relies on, proxy
 * included; what only a UAS refuses (Require, schemes, body types) is in `uas-checks.ts`.
 *
 * Works on the text, not on sip.js's view, so that a datagram sip.js could not parse is judged
 * by the same rules and answered with the reason that applies. Never throws.
 */
export function validateRequest(raw: RawMessage): Refusal | undefined {
  const line = checkRequestLine(raw.startLine);
  if (line) return line;
  const method = raw.startLine.split(' ')[0];

  const structural = headerStructureProblem(raw, REQUIRED);
  if (structural) return badRequest(structural);

  const cseq = parseCSeq(raw.first('cseq') ?? '');
  if (typeof cseq === 'string') return badRequest(cseq);
  // RFC 3261 section 8.1.1.5: the CSeq method "MUST match that of the request". RFC 4475
  // 3.1.2.17 answers a mismatch with 400; for a method nobody defined 3.1.2.18 prefers 501
  // ("better future-proof characteristics").
  if (cseq.method !== method) {
    return isKnownMethod(method)
      ? badRequest('CSeq method does not match the Request-Line')
      : { status: 501, reason: 'Not Implemented: unknown method, and CSeq names another' };
  }

  const maxForwards = raw.first('max-forwards');
  if (maxForwards !== undefined) {
    const problem = maxForwardsProblem(maxForwards);
    if (problem) return badRequest(problem);
  }

  const uriProblem = requestUriHeadersProblem(requestLineUri(raw.startLine));
  if (uriProblem) return badRequest(uriProblem);

  const shared = sharedHeaderProblem(raw);
  if (shared) return badRequest(shared);
  return undefined;
}

/**
 * Strict checks on a response. RFC 3261 section 18.3 and RFC 4475 3.1.2.5 and 3.1.2.19: an
 * invalid response is discarded, never answered, so this returns only what is wrong.
 */
export function validateResponse(raw: RawMessage): string | undefined {
  const line = checkStatusLine(raw.startLine);
  if (line) return line;
  const structural = headerStructureProblem(raw, REQUIRED);
  if (structural) return structural;
  const cseq = parseCSeq(raw.first('cseq') ?? '');
  if (typeof cseq === 'string') return cseq;
  const retryAfter = raw.first('retry-after');
  if (retryAfter !== undefined) {
    const problem = retryAfterProblem(retryAfter);
    if (problem) return problem;
  }
  for (const warning of raw.values('warning')) {
    const problem = warningProblem(warning);
    if (problem) return problem;
  }
  return sharedHeaderProblem(raw);
}

/** Header names, required fields, fields that may appear once, Content-Length framing. */
function headerStructureProblem(raw: RawMessage, required: string[]): string | undefined {
  for (const h of raw.headers) {
    // RFC 3261 section 7.3.1: header-name = token.
    if (!isToken(h.name)) return `header name "${clip(h.name)}" is not a token`;
  }
  for (const name of required) {
    if (raw.values(name).length === 0) return `no ${headerName(name)} header`;
  }
  for (const name of SINGLE_VALUED) {
    if (raw.headers.filter((h) => canonicalName(h.name) === name).length > 1) {
      return `more than one ${headerName(name)} header`;
    }
  }
  const length = raw.first('content-length');
  if (length !== undefined) return contentLengthProblem(length, raw.body.length);
  return undefined;
}

/** The header fields both requests and responses must get right for this node to use them. */
function sharedHeaderProblem(raw: RawMessage): string | undefined {
  for (const via of raw.values('via')) {
    const problem = viaProblem(via);
    if (problem) return problem;
  }
  const callId = (raw.first('call-id') ?? '').trim();
  // RFC 3261 section 25.1: callid = word [ "@" word ]
  const words = callId.split('@');
  if (words.length > 2 || !words.every(isWord)) return `Call-ID "${clip(callId)}" is not word [ "@" word ]`;

  for (const name of ['from', 'to']) {
    const problem = addressProblem(raw.first(name) ?? '');
    if (problem) return `${headerName(name)}: ${problem}`;
  }
  for (const contact of raw.values('contact')) {
    const problem = addressListProblem(contact, { allowStar: true });
    if (problem) return `Contact: ${problem}`;
  }
  for (const name of ['route', 'record-route']) {
    for (const value of raw.values(name)) {
      const problem = addressListProblem(value, { nameAddrOnly: true });
      if (problem) return `${headerName(name)}: ${problem}`;
    }
  }
  const date = raw.first('date');
  if (date !== undefined) {
    const problem = dateProblem(date);
    if (problem) return problem;
  }
  const contentType = raw.first('content-type');
  if (contentType !== undefined) {
    const problem = contentTypeProblem(contentType);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * RFC 3261 section 19.1.1, Table 1: the headers component of a SIP URI is not allowed in a
 * Request-URI. RFC 4475 3.1.2.11 (escruri) lets an element refuse it with 400, and a proxy must
 * never forward it, so this node refuses.
 *
 * A "?" in the user part is legal (user-unreserved, RFC 4475 3.1.1.2 intmeth); the headers come
 * after the host, which follows the last "@" (no "@" is allowed unescaped after it).
 */
function requestUriHeadersProblem(uri: string): string | undefined {
  if (!/^sips?:/i.test(uri)) return undefined;
  const hostPart = uri.slice(uri.lastIndexOf('@') + 1);
  return hostPart.includes('?') ? 'escaped headers in the Request-URI' : undefined;
}

/** Content-Type = media-type; media-type = m-type SLASH m-subtype *(SEMI m-parameter) */
function contentTypeProblem(value: string): string | undefined {
  const m = /^\s*([^\s/;]+)\s*\/\s*([^\s/;]+)\s*/.exec(value);
  if (!m || !isToken(m[1]) || !isToken(m[2])) return `Content-Type "${clip(value)}" is not type/subtype`;
  const problem = paramProblem(value.slice(m[0].length));
  return problem ? `Content-Type: ${problem}` : undefined;
}

/** "call-id" → "Call-ID", "record-route" → "Record-Route", for reason phrases. */
function headerName(canonical: string): string {
  const special: Record<string, string> = {
    'call-id': 'Call-ID',
    cseq: 'CSeq',
    'mime-version': 'MIME-Version',
  };
  return (
    special[canonical] ??
    canonical.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())
  );
}
