import { createHash } from 'node:crypto';

import { emptySignatureElement } from './empty-signature-element.ts';
import type { SignedParts } from './signed-parts.ts';
import { SignedPartsError } from './signing-errors.ts';

const VERSION_LINE = 'chordline-signature-1';

/** CR, LF or NUL inside a field would let one text stand for two different messages. */
const LINE_BREAK = /[\r\n\0]/;

/**
 * The canonical text that is signed, exactly as in ARCHITECTURE.md, Signed messages:
 *
 * ```
 * chordline-signature-1
 * <REQUEST method request-uri | RESPONSE status-code method>
 * from: <From URI>;tag=<tag>
 * to: <To URI>;tag=<tag or empty>
 * call-id: <Call-ID>
 * cseq: <number> <method>
 * date: <Date header>
 * body-sha256: <hex SHA-256 of the body with its Signature element emptied>
 * ```
 *
 * Lines are joined with a single LF and there is no trailing newline. The body is hashed as
 * UTF-8. Both the sender (holding `<Signature/>`) and the receiver (holding the filled element)
 * get the same text, because the element is emptied here.
 *
 * @throws SignedPartsError when a header field holds a line break.
 * @throws SignatureElementError when the body has zero or several Signature elements.
 */
export function signedText(parts: SignedParts): string {
  const startLine =
    parts.kind === 'request'
      ? `REQUEST ${parts.method} ${parts.requestUri}`
      : `RESPONSE ${parts.status} ${parts.method}`;
  const lines = [
    VERSION_LINE,
    startLine,
    `from: ${parts.fromUri};tag=${parts.fromTag}`,
    `to: ${parts.toUri};tag=${parts.toTag ?? ''}`,
    `call-id: ${parts.callId}`,
    `cseq: ${parts.cseq} ${parts.cseqMethod}`,
    `date: ${parts.date}`,
  ];
  for (const line of lines) {
    if (LINE_BREAK.test(line)) {
      throw new SignedPartsError(`A signed header contains a line break: ${JSON.stringify(line)}`);
    }
  }
  if (!Number.isSafeInteger(parts.cseq) || parts.cseq < 0) {
    throw new SignedPartsError(`CSeq number must be a non-negative integer, got ${parts.cseq}`);
  }
  if (
    parts.kind === 'response' &&
    !(Number.isInteger(parts.status) && parts.status >= 100 && parts.status <= 699)
  ) {
    throw new SignedPartsError(`Response status must be 100-699, got ${parts.status}`);
  }
  lines.push(`body-sha256: ${bodySha256(parts.body)}`);
  return lines.join('\n');
}

/** Hex SHA-256 of the body after its Signature element is emptied. */
export function bodySha256(body: string): string {
  return createHash('sha256').update(emptySignatureElement(body), 'utf8').digest('hex');
}
