/**
 * What `sip/` extracts from a SIP message so that `trust/` can sign or verify it without seeing
 * sip.js. Values are the header values as they appear on the wire (URIs without angle brackets
 * or display names; tags without `tag=`), and `body` is the whole message body as text: an
 * `application/p2p+xml` body, or the whole `multipart/mixed` body of an INVITE whose p2p+xml part
 * carries the Signature.
 */
export type SignedParts = SignedStartLine & {
  fromUri: string;
  fromTag: string;
  toUri: string;
  /** Absent on a request that opens a dialog; signed as an empty tag. */
  toTag?: string;
  callId: string;
  cseq: number;
  cseqMethod: string;
  /** The Date header exactly as sent, RFC 1123 (`Sun, 06 Nov 1994 08:49:37 GMT`). */
  date: string;
  body: string;
};

export type SignedStartLine =
  | { kind: 'request'; method: string; requestUri: string }
  | { kind: 'response'; status: number; method: string };
