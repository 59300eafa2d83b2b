import {
  buildP2pXml,
  EMPTY_SIGNATURE_ELEMENT,
  fillSignature,
  P2P_XML_CONTENT_TYPE,
} from '../overlay/xml/index.ts';
import type { P2pDocument } from '../overlay/xml/index.ts';
import {
  buildMultipart,
  multipartContentType,
  newBoundary,
  plannedResponseParts,
  requestParts,
} from '../sip/index.ts';
import type { OutgoingRequest, RequestSpec, SipRequest, SipStack } from '../sip/index.ts';
import { formatRfc1123Date } from './signing/index.ts';
import type { SignedParts } from './signing/index.ts';

/** Signs the canonical text of a message's parts (a MessageSigner, or a bare key for the CA). */
export type Sign = (parts: SignedParts) => string;

/** The SDP content type: a call's session description travels beside the signature. */
export const SDP_CONTENT_TYPE = 'application/sdp';

/**
 * Builds a request whose application/p2p+xml body carries the sender's signature over the
 * request's parts (docs/ARCHITECTURE.md, Signed messages): the body is built with `<Signature/>`,
 * the Date header is set, the parts are read back from the very text that will be sent, signed,
 * and the signature filled in. With `sdp`, the body is multipart/mixed (the SDP, then the
 * p2p+xml part) and the signature covers both.
 */
export function signedRequest(
  stack: SipStack,
  spec: RequestSpec,
  doc: Omit<P2pDocument, 'signature'>,
  sign: Sign,
  now: number = Date.now(),
  sdp?: string,
): OutgoingRequest {
  const unsigned = unsignedBody(doc, sdp);
  const outgoing = stack.buildRequest({
    ...spec,
    headers: [...(spec.headers ?? []), ['Date', formatRfc1123Date(now)]],
    body: unsigned.body,
    contentType: unsigned.contentType,
  });
  const parts = requestParts(outgoing);
  // Fill the body exactly as it was signed: the text that went into the message.
  outgoing.raw.body = Buffer.from(fillBuilt(parts.body, sign(parts)), 'utf8').toString('latin1');
  return outgoing;
}

export interface SignedResponseOptions {
  reason?: string;
  headers?: Array<[string, string]>;
  now?: number;
  /** A session description to send beside the signature (multipart/mixed). */
  sdp?: string;
}

/** Answers `request` with a signed application/p2p+xml (or multipart/mixed with SDP) body. */
export function respondSigned(
  request: SipRequest,
  status: number,
  doc: Omit<P2pDocument, 'signature'>,
  sign: Sign,
  options: SignedResponseOptions = {},
): void {
  const date = formatRfc1123Date(options.now ?? Date.now());
  const unsigned = unsignedBody(doc, options.sdp);
  const signature = sign(plannedResponseParts(request, status, { date, body: unsigned.body }));
  request.respond(status, {
    reason: options.reason,
    headers: [...(options.headers ?? []), ['Date', date]],
    body: fillBuilt(unsigned.body, signature),
    contentType: unsigned.contentType,
  });
}

function unsignedBody(
  doc: Omit<P2pDocument, 'signature'>,
  sdp: string | undefined,
): { body: string; contentType: string } {
  const xml = buildP2pXml({ ...doc, signature: '' });
  if (sdp === undefined) return { body: xml, contentType: P2P_XML_CONTENT_TYPE };
  const boundary = newBoundary();
  const body = buildMultipart(
    [
      { contentType: SDP_CONTENT_TYPE, body: sdp },
      { contentType: P2P_XML_CONTENT_TYPE, body: xml },
    ],
    boundary,
  );
  return { body, contentType: multipartContentType(boundary) };
}

const PLACEHOLDER_TAIL = `${EMPTY_SIGNATURE_ELEMENT}</P2Pxml>`;

/**
 * Fills the signature of a body built here: its p2p+xml part ends with `<Signature/></P2Pxml>`
 * (the last such text in the body, also in a multipart body), so a string operation suffices
 * (fillSignature parses the body again to check its structure, which costs a whole XML parse
 * per signed message on the hot path). Anything else goes through fillSignature.
 */
function fillBuilt(body: string, signatureB64: string): string {
  const at = body.lastIndexOf(PLACEHOLDER_TAIL);
  if (at < 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(signatureB64)) return fillSignature(body, signatureB64);
  return `${body.slice(0, at)}<Signature>${signatureB64}</Signature></P2Pxml>${body.slice(at + PLACEHOLDER_TAIL.length)}`;
}
