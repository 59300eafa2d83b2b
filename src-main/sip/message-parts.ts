import { nameAddrUri } from './next-hop.ts';
import { RawMessage } from './raw-message.ts';
import type { OutgoingRequest } from './outgoing-request.ts';
import type { SipRequest } from './sip-request.ts';
import type { SipResponse } from './sip-response.ts';

/**
 * The parts of a message that the trust layer signs (docs/ARCHITECTURE.md, Signed messages),
 * read from the text as it crosses the wire so that signer and verifier see the same bytes.
 * Structurally the trust layer's `SignedParts`; defined here because `sip/` imports nothing
 * above it.
 */
export type MessageParts = (
  | { kind: 'request'; method: string; requestUri: string }
  | { kind: 'response'; status: number; method: string }
) & {
  fromUri: string;
  fromTag: string;
  toUri: string;
  toTag?: string;
  callId: string;
  cseq: number;
  cseqMethod: string;
  date: string;
  /** UTF-8 text */
  body: string;
};

export function requestParts(request: SipRequest | OutgoingRequest): MessageParts {
  return partsOf(request.raw);
}

export function responseParts(response: SipResponse): MessageParts {
  return partsOf(RawMessage.parse(response.text));
}

/** Parts of a message held as text (a response this node is about to send, for instance). */
export function partsOfText(text: string): MessageParts {
  return partsOf(RawMessage.parse(text));
}

function partsOf(raw: RawMessage): MessageParts {
  const from = raw.first('from') ?? '';
  const to = raw.first('to') ?? '';
  const [cseqNumber, cseqMethod = ''] = (raw.first('cseq') ?? '').trim().split(/\s+/);
  const common = {
    fromUri: nameAddrUri(from),
    fromTag: tagOf(from) ?? '',
    toUri: nameAddrUri(to),
    toTag: tagOf(to),
    callId: raw.first('call-id') ?? '',
    cseq: Number(cseqNumber),
    cseqMethod,
    date: raw.first('date') ?? '',
    body: Buffer.from(raw.body, 'latin1').toString('utf8'),
  };
  const [first, second] = raw.startLine.split(' ');
  if (first.startsWith('SIP/'))
    return { kind: 'response', status: Number(second), method: cseqMethod, ...common };
  return { kind: 'request', method: first, requestUri: second, ...common };
}

function tagOf(nameAddr: string): string | undefined {
  const close = nameAddr.lastIndexOf('>');
  const params = close >= 0 ? nameAddr.slice(close + 1) : nameAddr;
  return /;\s*tag\s*=\s*([^;\s]+)/i.exec(params)?.[1];
}

/**
 * The parts of the response this node is about to send to `request` (From, To, Call-ID and
 * CSeq are the request's; the To tag is this node's), so that it can be signed before it is
 * built.
 */
export function plannedResponseParts(
  request: SipRequest,
  status: number,
  extra: { date: string; body: string },
): MessageParts {
  const req = partsOf(request.raw);
  return {
    kind: 'response',
    status,
    method: req.cseqMethod,
    fromUri: req.fromUri,
    fromTag: req.fromTag,
    toUri: req.toUri,
    toTag: req.toTag ?? (status > 100 ? request.localTag : undefined),
    callId: req.callId,
    cseq: req.cseq,
    cseqMethod: req.cseqMethod,
    date: extra.date,
    body: extra.body,
  };
}
