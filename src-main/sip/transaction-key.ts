import { MAGIC_COOKIE } from './via.ts';
import type { Via } from './via.ts';

/**
 * RFC 3261 section 17.2.3: which server transaction a request belongs to. With the magic cookie
 * the branch and sent-by decide (ACK joins its INVITE's transaction; CANCEL has its own).
 * Without it (RFC 2543 peers, torture case "badbranch"), the older rule compares the
 * Request-URI, tags, Call-ID, CSeq number and top Via.
 */
export function serverTransactionKey(
  method: string,
  via: Via,
  fallback: { requestUri: string; fromTag: string; callId: string; cseq: number; topVia: string },
): string {
  const kind = method === 'ACK' ? 'INVITE' : method;
  const sentBy = `${via.host}:${via.port ?? 5060}`;
  if (via.branch?.startsWith(MAGIC_COOKIE)) return `${via.branch}|${sentBy}|${kind}`;
  return [
    '2543',
    fallback.requestUri,
    fallback.fromTag,
    fallback.callId,
    fallback.cseq,
    fallback.topVia,
    kind,
  ].join('|');
}

/** RFC 3261 section 17.1.3: a response belongs to the client transaction of its top Via branch and CSeq method. */
export function clientTransactionKey(branch: string, method: string): string {
  return `${branch}|${method === 'ACK' ? 'INVITE' : method}`;
}
