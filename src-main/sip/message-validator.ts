import type { IncomingRequestMessage } from 'sip.js/lib/core/index.js';
import type { RawMessage } from './raw-message.ts';
import { canonicalName } from './raw-message.ts';

/** Why a request is refused before any layer sees it: the status and a reason a person reads. */
export interface Refusal {
  status: number;
  reason: string;
  headers?: Array<[string, string]>;
}

const SINGLE_VALUED = ['to', 'from', 'call-id', 'cseq', 'max-forwards', 'content-length', 'content-type', 'expires'];
const MAX_CSEQ = 2 ** 31 - 1;

/**
 * Strict checks on a request that sip.js parsed (RFC 3261 sections 8.2 and 16.3, RFC 4475).
 * Returns undefined when the request may go on to the transaction layer.
 */
export function validateRequest(message: IncomingRequestMessage, raw: RawMessage): Refusal | undefined {
  const version = raw.startLine.split(' ')[2];
  if (version !== 'SIP/2.0') return { status: 505, reason: 'Version Not Supported' };
  for (const name of ['via', 'from', 'to', 'call-id', 'cseq']) {
    if (raw.values(name).length === 0) return { status: 400, reason: `Missing ${name} header` };
  }
  for (const name of SINGLE_VALUED) {
    if (raw.headers.filter((h) => canonicalName(h.name) === name).length > 1) {
      return { status: 400, reason: `More than one ${name} header` };
    }
  }
  const cseq = (raw.first('cseq') ?? '').trim().split(/\s+/);
  if (cseq.length !== 2 || !/^\d{1,10}$/.test(cseq[0]) || Number(cseq[0]) > MAX_CSEQ) {
    return { status: 400, reason: 'Bad CSeq' };
  }
  if (cseq[1] !== message.method) return { status: 400, reason: 'CSeq method does not match the request' };
  const maxForwards = raw.first('max-forwards');
  if (maxForwards !== undefined && (!/^\d{1,3}$/.test(maxForwards) || Number(maxForwards) > 255)) {
    return { status: 400, reason: 'Bad Max-Forwards' };
  }
  const length = raw.first('content-length');
  if (length !== undefined) {
    if (!/^\d+$/.test(length)) return { status: 400, reason: 'Bad Content-Length' };
    const actual = bodyOctets(message.data);
    if (Number(length) > actual) return { status: 400, reason: 'Content-Length larger than the body' };
  }
  return undefined;
}

function bodyOctets(data: string): number {
  const end = data.indexOf('\r\n\r\n');
  return end < 0 ? 0 : data.length - end - 4;
}
