import { badRequest } from './refusal.ts';
import type { Refusal } from './refusal.ts';
import { clip, isToken, uriScheme } from './sip-syntax.ts';

/** The only protocol version this node speaks. */
export const SIP_VERSION = 'SIP/2.0';

/**
 * RFC 3261 section 7.1: "Request-Line = Method SP Request-URI SP SIP-Version CRLF ... The
 * elements are separated by single space (SP) characters. No CR or LF are allowed except in the
 * final CRLF sequence. No linear whitespace (LWS) is allowed in any of the elements."
 *
 * RFC 4475 3.1.2.7 to 3.1.2.10 (ltgtruri, lwsruri, lwsstart, trws) may be refused with 400, and
 * this node does: it is a proxy too, and must never forward such a line.
 */
export function checkRequestLine(line: string): Refusal | undefined {
  if (/^[ \t]/.test(line)) return badRequest('whitespace before the Request-Line');
  if (/[ \t]$/.test(line)) return badRequest('whitespace at the end of the Request-Line');
  if (/ {2}|\t/.test(line)) return badRequest('more than one SP (or a tab) between Request-Line elements');
  const parts = line.split(' ');
  if (parts.length < 3) return badRequest('Request-Line needs Method SP Request-URI SP SIP-Version');
  const version = parts[parts.length - 1];
  // RFC 3261 section 8.2 (and RFC 4475 3.1.2.16): another version is refused with 505.
  if (/^SIP\/\d+\.\d+$/i.test(version) && version.toUpperCase() !== SIP_VERSION) {
    return { status: 505, reason: 'Version Not Supported: this node speaks SIP/2.0' };
  }
  if (version.toUpperCase() !== SIP_VERSION) return badRequest(`"${clip(version)}" is not a SIP version`);
  if (parts.length > 3) return badRequest('whitespace inside the Request-URI');
  const [method, uri] = parts;
  if (!isToken(method)) return badRequest(`method "${clip(method)}" is not a token`);
  if (uri.startsWith('<')) return badRequest('Request-URI enclosed in <>');
  if (uriScheme(uri) === undefined) return badRequest(`Request-URI "${clip(uri)}" has no scheme`);
  return undefined;
}

/**
 * RFC 3261 section 7.2: "Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF" and
 * section 21: "Status-Code = 3DIGIT" from 100 to 699. The reason phrase may be empty (RFC 4475
 * 3.1.1.13) and may carry UTF-8 (3.1.1.12).
 */
export function checkStatusLine(line: string): string | undefined {
  // A missing SP after the code is tolerated, as RFC 4475 3.1.1.13 lets a liberal receiver do.
  const m = /^SIP\/2\.0 (\d{3})(?: |$)/i.exec(line);
  if (!m) return 'Status-Line is not "SIP/2.0 SP 3DIGIT SP Reason-Phrase"';
  const status = Number(m[1]);
  if (status < 100 || status > 699) return `status code ${status} is outside 100-699`;
  return undefined;
}

/**
 * A start line that begins like a Status-Line ("SIP/..."), however broken the rest, and even
 * after stray whitespace: a broken response must never be answered as if it were a request.
 */
export function isResponseLine(line: string): boolean {
  return /^\s*SIP\//i.test(line);
}

/** The Request-URI of a Request-Line that passed `checkRequestLine`. */
export function requestLineUri(line: string): string {
  return line.split(' ')[1] ?? '';
}
