import { clip, isToken } from './sip-syntax.ts';

/** RFC 3261 section 20.16: "The sequence number MUST be expressible as a 32-bit unsigned integer." */
export const MAX_CSEQ = 2 ** 32 - 1;

/** RFC 3261 section 20.22: "The Max-Forwards value is an integer in the range 0-255". */
export const MAX_MAX_FORWARDS = 255;

/** delta-seconds, Retry-After and the like: RFC 4475 3.1.2.4/5 treat > 2**32-1 as out of range. */
const MAX_DELTA_SECONDS = 2 ** 32 - 1;

export interface CSeqValue {
  number: number;
  method: string;
}

/**
 * CSeq = "CSeq" HCOLON 1*DIGIT LWS Method (RFC 3261 section 25.1). Leading zeros are legal
 * (RFC 4475 3.1.1.1 has "cseq: 0009 INVITE"); a number past 2**32-1 is not (3.1.2.4 scalar02,
 * 3.1.2.5 scalarlg).
 */
export function parseCSeq(value: string): CSeqValue | string {
  const m = /^(\d+)[ \t]+(\S+)$/.exec(value.trim());
  if (!m) return `CSeq "${clip(value)}" is not "number method"`;
  const number = Number(m[1]);
  if (m[1].replace(/^0+(?=\d)/, '').length > 10 || number > MAX_CSEQ)
    return 'CSeq number is larger than 2**32-1';
  if (!isToken(m[2])) return `CSeq method "${clip(m[2])}" is not a token`;
  return { number, method: m[2] };
}

/** Max-Forwards = "Max-Forwards" HCOLON 1*DIGIT, 0-255 (RFC 4475 3.1.1.1 has "0068"). */
export function maxForwardsProblem(value: string): string | undefined {
  const v = value.trim();
  if (!/^\d+$/.test(v)) return `Max-Forwards "${clip(v)}" is not a number`;
  if (v.replace(/^0+(?=\d)/, '').length > 3 || Number(v) > MAX_MAX_FORWARDS) {
    return `Max-Forwards ${clip(v)} is larger than 255`;
  }
  return undefined;
}

/**
 * Content-Length = ( "Content-Length" / "l" ) HCOLON 1*DIGIT (RFC 3261 section 20.14), and
 * section 18.3: "If the transport packet ends before the end of the message body, this is
 * considered an error. If the message is a response, it MUST be discarded. If the message is a
 * request, the element SHOULD generate a 400 (Bad Request) response." (RFC 4475 3.1.2.2 clerr,
 * 3.1.2.3 ncl.)
 *
 * `available` is the number of octets after the blank line in the datagram.
 */
export function contentLengthProblem(value: string, available: number): string | undefined {
  const v = value.trim();
  if (!/^\d+$/.test(v)) return `Content-Length "${clip(v)}" is not a non-negative number`;
  if (Number(v) > available)
    return `Content-Length ${clip(v)} is larger than the ${available} octets received`;
  return undefined;
}

/** Retry-After = "Retry-After" HCOLON delta-seconds [ comment ] *( SEMI retry-param ) */
export function retryAfterProblem(value: string): string | undefined {
  const m = /^(\d+)/.exec(value.trim());
  if (!m) return `Retry-After "${clip(value)}" does not start with delta-seconds`;
  if (m[1].replace(/^0+(?=\d)/, '').length > 10 || Number(m[1]) > MAX_DELTA_SECONDS) {
    return 'Retry-After is larger than 2**32-1';
  }
  return undefined;
}

/** warning-value = warn-code SP warn-agent SP warn-text; warn-code = 3DIGIT (RFC 3261 section 20.43). */
export function warningProblem(value: string): string | undefined {
  for (const part of value.split(',')) {
    const code = part.trim().split(/[ \t]/)[0];
    if (code !== '' && !/^\d{3}$/.test(code)) return `warn-code "${clip(code)}" is not 3 digits`;
  }
  return undefined;
}
