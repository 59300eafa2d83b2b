import { randomBytes } from 'node:crypto';
import { getReasonPhrase } from 'sip.js/lib/core/messages/utils.js';
import type { RawMessage } from './raw-message.ts';
import { canonicalName } from './raw-message.ts';

export interface ResponseOptions {
  reason?: string;
  /** Extra header fields, in order. */
  headers?: Array<[string, string]>;
  /** UTF-8 text; sent with its byte length. */
  body?: string;
  contentType?: string;
  toTag?: string;
}

export function newTag(): string {
  return randomBytes(8).toString('hex');
}

/** Reason phrases are one line of text; a caller's string never breaks the message. */
export function safeReason(reason: string): string {
  return reason.replace(/[\r\n]+/g, ' ').slice(0, 200);
}

/**
 * RFC 3261 section 8.2.6.2: a response copies From, Call-ID, CSeq and every Via of the request
 * (with the received/rport this node stamped), keeps To and adds a tag to it; a response that
 * can create a dialog copies Record-Route too (section 12.1.1).
 */
export function buildResponse(request: RawMessage, status: number, options: ResponseOptions = {}): string {
  const reason = safeReason(options.reason ?? (getReasonPhrase(status) || 'Unknown'));
  let text = `SIP/2.0 ${status} ${reason}\r\n`;
  const copy = new Set(['via', 'from', 'call-id', 'cseq']);
  const method = request.startLine.split(' ')[0];
  const dialogForming = status > 100 && status < 300 && (method === 'INVITE' || method === 'SUBSCRIBE');
  for (const h of request.headers) {
    const name = canonicalName(h.name);
    if (copy.has(name)) text += `${h.name}: ${h.value}\r\n`;
    else if (name === 'to') {
      let to = h.value;
      if (status > 100 && !/;\s*tag=/i.test(to) && options.toTag) to += `;tag=${options.toTag}`;
      text += `${h.name}: ${to}\r\n`;
    } else if (name === 'record-route' && dialogForming) text += `${h.name}: ${h.value}\r\n`;
  }
  for (const [name, value] of options.headers ?? []) text += `${name}: ${value}\r\n`;
  const body = options.body === undefined ? '' : Buffer.from(options.body, 'utf8').toString('latin1');
  if (body) text += `Content-Type: ${options.contentType ?? 'text/plain'}\r\n`;
  text += `Content-Length: ${body.length}\r\n\r\n${body}`;
  return text;
}
