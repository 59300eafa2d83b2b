import {
  buildP2pXml,
  EMPTY_SIGNATURE_ELEMENT,
  fillSignature,
  P2P_XML_CONTENT_TYPE,
} from '../overlay/xml/index.ts';
import type { P2pDocument } from '../overlay/xml/index.ts';
import { plannedResponseParts, requestParts } from '../sip/index.ts';
import type { OutgoingRequest, RequestSpec, SipRequest, SipStack } from '../sip/index.ts';
import { formatRfc1123Date } from './signing/index.ts';
import type { SignedParts } from './signing/index.ts';

/** Signs the canonical text of a message's parts (a MessageSigner, or a bare key for the CA). */
export type Sign = (parts: SignedParts) => string;

/**
 * Builds a request whose application/p2p+xml body carries the sender's signature over the
 * request's parts (docs/ARCHITECTURE.md, Signed messages): the body is built with `<Signature/>`,
 * the Date header is set, the parts are read back from the very text that will be sent, signed,
 * and the signature filled in.
 */
export function signedRequest(
  stack: SipStack,
  spec: RequestSpec,
  doc: Omit<P2pDocument, 'signature'>,
  sign: Sign,
  now: number = Date.now(),
): OutgoingRequest {
  const unsigned = buildP2pXml({ ...doc, signature: '' });
  const outgoing = stack.buildRequest({
    ...spec,
    headers: [...(spec.headers ?? []), ['Date', formatRfc1123Date(now)]],
    body: unsigned,
    contentType: P2P_XML_CONTENT_TYPE,
  });
  const parts = requestParts(outgoing);
  // Fill the body exactly as it was signed: the text that went into the message.
  outgoing.raw.body = Buffer.from(fillBuilt(parts.body, sign(parts)), 'utf8').toString('latin1');
  return outgoing;
}

/** Answers `request` with a signed application/p2p+xml body. */
export function respondSigned(
  request: SipRequest,
  status: number,
  doc: Omit<P2pDocument, 'signature'>,
  sign: Sign,
  options: { reason?: string; headers?: Array<[string, string]>; now?: number } = {},
): void {
  const date = formatRfc1123Date(options.now ?? Date.now());
  const unsigned = buildP2pXml({ ...doc, signature: '' });
  const signature = sign(plannedResponseParts(request, status, { date, body: unsigned }));
  request.respond(status, {
    reason: options.reason,
    headers: [...(options.headers ?? []), ['Date', date]],
    body: fillBuilt(unsigned, signature),
    contentType: P2P_XML_CONTENT_TYPE,
  });
}

const PLACEHOLDER_TAIL = `${EMPTY_SIGNATURE_ELEMENT}</P2Pxml>`;

/**
 * Fills the signature of a body buildP2pXml just made: it ends with `<Signature/></P2Pxml>`, so
 * a string operation suffices (fillSignature parses the body again to check its structure,
 * which costs a whole XML parse per signed message on the hot path). Anything else goes
 * through fillSignature.
 */
function fillBuilt(body: string, signatureB64: string): string {
  if (!body.endsWith(PLACEHOLDER_TAIL) || !/^[A-Za-z0-9+/]+={0,2}$/.test(signatureB64)) {
    return fillSignature(body, signatureB64);
  }
  return `${body.slice(0, -PLACEHOLDER_TAIL.length)}<Signature>${signatureB64}</Signature></P2Pxml>`;
}
