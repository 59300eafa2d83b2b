import { RawMessage } from './raw-message.ts';
import type { HeaderField } from './raw-message.ts';
import { isResponseLine } from './start-line.ts';

export interface SalvagedRequest {
  raw: RawMessage;
  /** A framing problem found while splitting, for the reason phrase when nothing else explains the refusal. */
  problem: string | undefined;
}

/**
 * Splits a datagram that did not parse, as far as it can be split, so that the sender can be
 * told why (RFC 3261 section 8.2: a malformed request gets 400 when a response can be formed at
 * all). Lines without a colon are left out, a missing blank line ends the headers at the end of
 * the datagram (RFC 4475 3.1.2.15 baddn has none). Responses and non-text yield undefined:
 * an invalid response is dropped (RFC 4475 3.1.2.5, 3.1.2.19). Never throws.
 */
export function salvageRequest(text: string): SalvagedRequest | undefined {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 4);
  const lines = head.split('\r\n');
  const startLine = lines.shift() ?? '';
  if (startLine === '' || isResponseLine(startLine)) return undefined;
  let problem = end < 0 ? 'no blank line ends the header fields' : undefined;
  const headers: HeaderField[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1].value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      problem ??= 'a header line without a colon';
      continue;
    }
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return { raw: new RawMessage(startLine, headers, body), problem };
}

/** sip.js logs "error parsing header 'To'"; the sender reads "cannot parse the To header". */
export function describeComplaint(complaint: string | undefined): string {
  const header = /header '([^']{1,40})'/.exec(complaint ?? '')?.[1];
  return header ? `cannot parse the ${header} header` : 'malformed message';
}
