import { P2P_XML_NAMESPACE } from './constants.ts';
import { checkBase64 } from './fields.ts';
import { P2pXmlError, tagName } from './p2p-xml-error.ts';
import { DEFAULT_MAX_BODY_BYTES, parseXmlTree } from './xml-tree.ts';

// docs/ARCHITECTURE.md, "Signed messages": the signature covers the SHA-256 of the body "with its
// Signature element emptied", a text operation, so that signer and verifier hash the same bytes
// without agreeing on any XML canonicalisation.
//
// Which Signature: a RevocationList carries a <Signature> of its own, so "the body's one Signature"
// is not found by searching for the name. The envelope Signature is defined as the LAST child of
// P2Pxml, and the body must end with it:
//
//   …<Signature>base64</Signature></P2Pxml>      (whitespace allowed between the tags and at the end)
//
// Both operations find the last "<Signature" in the text, require that only "</P2Pxml>" follows it,
// and then parse the body to check that P2Pxml (in our namespace) has exactly one Signature child.
// In a well-formed document nothing but the root's own end tag can be the final "</P2Pxml>", and
// base64 content cannot hide markup, so the element found is the envelope's and no other.

const TAIL = /(<Signature\s*(?:\/>|>([A-Za-z0-9+/=\s]*)<\/Signature\s*>))\s*<\/P2Pxml\s*>\s*$/y;

/** The exact text of an emptied envelope Signature. */
export const EMPTY_SIGNATURE_ELEMENT = '<Signature/>';

interface Located {
  readonly start: number;
  readonly end: number;
  /** The base64 inside, '' for <Signature/> or <Signature></Signature>. */
  readonly value: string;
}

function locateEnvelopeSignature(body: string, maxBytes: number): Located {
  const root = parseXmlTree(body, maxBytes);
  if (root.localName !== 'P2Pxml' || root.namespace !== P2P_XML_NAMESPACE) {
    throw new P2pXmlError(
      `root element must be <P2Pxml xmlns="${P2P_XML_NAMESPACE}">, found ${tagName(root.name)}`,
    );
  }
  const count = root.children.filter(
    (child) => child.localName === 'Signature' && child.namespace === P2P_XML_NAMESPACE,
  ).length;
  if (count !== 1) {
    throw new P2pXmlError(`a signed body needs exactly one envelope <Signature>, found ${count}`);
  }
  const start = body.lastIndexOf('<Signature');
  TAIL.lastIndex = start;
  const tail = start < 0 ? null : TAIL.exec(body);
  if (tail === null) {
    throw new P2pXmlError(
      'the envelope <Signature> must hold only base64, be the last child of P2Pxml, and end the body',
    );
  }
  return { start, end: start + tail[1]!.length, value: (tail[2] ?? '').trim() };
}

/**
 * The body as it was signed: its envelope `<Signature>…</Signature>` becomes `<Signature/>`.
 * Throws P2pXmlError when the body has no envelope Signature, several, or one that is not the last
 * child of P2Pxml.
 */
export function emptySignature(body: string, maxBytes: number = DEFAULT_MAX_BODY_BYTES): string {
  const { start, end } = locateEnvelopeSignature(body, maxBytes);
  return body.slice(0, start) + EMPTY_SIGNATURE_ELEMENT + body.slice(end);
}

/**
 * Puts a signature into a body built with the `<Signature/>` placeholder (buildP2pXml with
 * `signature: ''`). Throws P2pXmlError when the placeholder is missing or already filled, or when
 * `signatureB64` is not canonical base64.
 */
export function fillSignature(
  bodyWithEmptySignature: string,
  signatureB64: string,
  maxBytes: number = DEFAULT_MAX_BODY_BYTES,
): string {
  checkBase64(signatureB64, 'signature');
  const { start, end, value } = locateEnvelopeSignature(bodyWithEmptySignature, maxBytes);
  if (value !== '') throw new P2pXmlError('the envelope <Signature> is already filled');
  const body = bodyWithEmptySignature;
  return `${body.slice(0, start)}<Signature>${signatureB64}</Signature>${body.slice(end)}`;
}
