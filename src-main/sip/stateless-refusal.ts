import { canonicalName, RawMessage, splitCommaList } from './raw-message.ts';
import type { Refusal } from './refusal.ts';
import { buildResponse, newTag } from './response-builder.ts';
import type { Endpoint } from './udp-transport.ts';

/** A response to send outside any transaction, and where to. */
export interface StatelessAnswer {
  text: string;
  destination: Endpoint;
}

/**
 * The response that refuses a request this node will not process, or undefined when none may
 * or can be sent.
 *
 * RFC 3261 section 17.1.1.3 and 17.2.1: an ACK is never answered. Section 18.2.2: the response
 * goes to the address the request came from (the received parameter) and to the sent-by port,
 * or to the source port when the Via asked for rport (RFC 3581). The top Via is read leniently,
 * since the request may be refused precisely because its Via is malformed (RFC 4475 3.1.2.1);
 * without a sent-by nothing can be sent.
 */
export function statelessRefusal(
  raw: RawMessage,
  refusal: Refusal,
  source: Endpoint,
): StatelessAnswer | undefined {
  if (raw.startLine.split(' ')[0] === 'ACK') return undefined;
  const top = splitCommaList(raw.values('via')[0] ?? '')[0];
  if (top === undefined) return undefined;
  const sentBy = LENIENT_SENT_BY.exec(top);
  if (!sentBy) return undefined;
  const wantsRport = RPORT.test(top);
  const port = wantsRport ? source.port : sentBy[2] !== undefined ? Number(sentBy[2]) : 5060;
  if (port < 1 || port > 65535) return undefined;

  let stamped = top.replace(RECEIVED, '');
  if (wantsRport) stamped = stamped.replace(RPORT, `;rport=${source.port}`);
  stamped += `;received=${source.address}`;
  // The stamp replaces the top value in its own line, leaving the rest as it came: a response
  // copies the Via header fields (RFC 3261 section 8.2.6.2), malformed or not.
  const copy = new RawMessage(
    raw.startLine,
    raw.headers.map((h) => ({ ...h })),
    raw.body,
  );
  const first = copy.headers.find((h) => canonicalName(h.name) === 'via');
  if (first) first.value = first.value.replace(top, stamped);
  return {
    text: buildResponse(copy, refusal.status, {
      reason: refusal.reason,
      headers: refusal.headers,
      toTag: newTag(),
    }),
    destination: { address: source.address, port },
  };
}

/** sent-protocol LWS sent-by, any version (a SIP/7.0 request still gets its 505). */
const LENIENT_SENT_BY =
  /^\s*SIP\s*\/\s*[^\s/]+\s*\/\s*[^\s/;,]+\s+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?:\s*:\s*(\d{1,5}))?/i;
const RPORT = /;\s*rport\s*(?=;|$)/i;
const RECEIVED = /;\s*received\s*=\s*[^;]*/gi;
