import { SignatureElementError } from './signing-errors.ts';

/**
 * The envelope Signature: a `<Signature>` element (empty, or holding base64) followed by nothing
 * but the end tag of `<P2Pxml>`. The xml codec (overlay/xml/envelope-signature.ts) defines the
 * envelope Signature the same way, as the last child of P2Pxml, because a RevocationList inside
 * the body carries a `<Signature>` of its own, so "the one Signature" cannot be found by name.
 */
const ENVELOPE_SIGNATURE = /<Signature\s*(?:\/>|>[A-Za-z0-9+/=\s]*<\/Signature\s*>)(?=\s*<\/P2Pxml\s*>)/g;

export const EMPTY_SIGNATURE_ELEMENT = '<Signature/>';

/**
 * The body with its envelope Signature element replaced by `<Signature/>`.
 *
 * ARCHITECTURE.md, Signed messages: "Emptied is a text operation: the body's one
 * `<Signature>…</Signature>` element becomes `<Signature/>` … A body with zero or several
 * Signature elements is refused." Here "Signature element" means envelope Signature (see above).
 *
 * This is our own small text operation rather than the codec's `emptySignature`, for two
 * reasons: an INVITE hands us its whole multipart/mixed body (an SDP part beside the p2p+xml
 * part), which the codec, parsing one XML document, refuses; and this runs on every verified
 * message, where a regular expression costs a fraction of an XML parse. On a p2p+xml body it
 * gives the same text as the codec's `emptySignature`. It need not be as strict as the codec:
 * the overlay parses the body anyway, and whatever this leaves in place is covered by the hash,
 * so choosing a different element than the codec could only make a signature fail, never pass.
 *
 * @throws SignatureElementError when the body has no envelope Signature, or several.
 */
export function emptySignatureElement(body: string): string {
  const matches = [...body.matchAll(ENVELOPE_SIGNATURE)];
  if (matches.length !== 1) {
    throw new SignatureElementError(
      matches.length === 0
        ? 'The body has no envelope <Signature> (the last child of <P2Pxml>) to sign'
        : `The body has ${matches.length} envelope <Signature> elements; exactly one is allowed`,
    );
  }
  const [match] = matches;
  const start = match.index ?? 0;
  return body.slice(0, start) + EMPTY_SIGNATURE_ELEMENT + body.slice(start + match[0].length);
}
