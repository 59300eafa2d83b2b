import { randomBytes } from 'node:crypto';

/**
 * multipart/mixed bodies (RFC 2046 section 5.1, as SIP uses them: RFC 3261 section 7.4 and
 * RFC 5621). A Chordline INVITE carries its session description and its signature side by side:
 *
 * ```
 * Content-Type: multipart/mixed;boundary=chordline-5f1c...
 *
 * --chordline-5f1c...
 * Content-Type: application/sdp
 *
 * v=0 ...
 * --chordline-5f1c...
 * Content-Type: application/p2p+xml
 *
 * <P2Pxml ...>...<Signature>...</Signature></P2Pxml>
 * --chordline-5f1c...--
 * ```
 *
 * Text here is UTF-8 (a JavaScript string); the SIP layer turns it into bytes at the edge.
 */
export interface BodyPart {
  contentType: string;
  body: string;
}

export class MultipartError extends Error {
  constructor(reason: string) {
    super(`Malformed multipart body: ${reason}`);
    this.name = 'MultipartError';
  }
}

/** RFC 2046: 1 to 70 characters from bchars, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** At most this many parts: an INVITE needs two, and a body with thousands is an attack. */
const MAX_PARTS = 16;

export function newBoundary(): string {
  return `chordline-${randomBytes(12).toString('hex')}`;
}

/** The Content-Type header value for a body built with `boundary`. */
export function multipartContentType(boundary: string): string {
  return `multipart/mixed;boundary=${boundary}`;
}

/**
 * Builds the body. Each part's own body must not contain the delimiter line; with a random
 * boundary that only happens on purpose, and is refused.
 */
export function buildMultipart(parts: readonly BodyPart[], boundary: string = newBoundary()): string {
  if (!BOUNDARY.test(boundary)) throw new MultipartError(`bad boundary ${JSON.stringify(boundary)}`);
  const delimiter = `--${boundary}`;
  let out = '';
  for (const part of parts) {
    if (part.body.includes(delimiter)) throw new MultipartError('a part contains the boundary');
    if (/[\r\n]/.test(part.contentType)) throw new MultipartError('a part type contains a line break');
    out += `${delimiter}\r\nContent-Type: ${part.contentType}\r\n\r\n${part.body}\r\n`;
  }
  return `${out}${delimiter}--\r\n`;
}

/** The boundary parameter of a multipart Content-Type, or undefined if it is not multipart/mixed. */
export function multipartBoundary(contentType: string): string | undefined {
  const [type, ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'multipart/mixed') return undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const value = param.slice(eq + 1).trim();
    return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
  }
  throw new MultipartError('multipart/mixed without a boundary');
}

/**
 * Splits a multipart/mixed body into its parts. A part without Content-Type is text/plain
 * (RFC 2046 section 5.1); the preamble and epilogue are ignored.
 *
 * @throws MultipartError when the body has no closing delimiter, a part has no header/body
 *   break, or there are too many parts.
 */
export function parseMultipart(contentType: string, body: string): BodyPart[] {
  const boundary = multipartBoundary(contentType);
  if (boundary === undefined) throw new MultipartError(`${contentType} is not multipart/mixed`);
  if (!BOUNDARY.test(boundary)) throw new MultipartError('bad boundary');
  const delimiter = `--${boundary}`;
  // Every delimiter sits at the start of the body or right after CRLF (RFC 2046: the CRLF
  // before a delimiter belongs to the delimiter, not to the part before it).
  const text = `\r\n${body}`;
  const marker = `\r\n${delimiter}`;
  let at = text.indexOf(marker);
  if (at < 0) throw new MultipartError('no boundary line');
  const parts: BodyPart[] = [];
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at + marker.length);
    const rest = text.slice(at + marker.length, lineEnd < 0 ? undefined : lineEnd);
    if (rest.startsWith('--')) return parts;
    if (rest.trim() !== '' || lineEnd < 0) throw new MultipartError('text after a boundary');
    const next = text.indexOf(marker, lineEnd);
    if (next < 0) throw new MultipartError('no closing boundary');
    if (parts.length === MAX_PARTS) throw new MultipartError(`more than ${MAX_PARTS} parts`);
    parts.push(readPart(text.slice(lineEnd + 2, next)));
    at = next;
  }
}

function readPart(text: string): BodyPart {
  let headerText: string;
  let body: string;
  if (text.startsWith('\r\n')) {
    headerText = '';
    body = text.slice(2);
  } else {
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) throw new MultipartError('a part has no blank line after its headers');
    headerText = text.slice(0, end);
    body = text.slice(end + 4);
  }
  let contentType = 'text/plain';
  for (const line of headerText === '' ? [] : headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) throw new MultipartError(`a part header without a colon: ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'content-type' || name === 'c') contentType = line.slice(colon + 1).trim();
  }
  return { contentType, body };
}

/** The first part of a media type (parameters ignored), or undefined. */
export function findPart(parts: readonly BodyPart[], mediaType: string): BodyPart | undefined {
  return parts.find((p) => p.contentType.split(';')[0].trim().toLowerCase() === mediaType);
}
