import { OutgoingRequest } from './outgoing-request.ts';
import { RawMessage } from './raw-message.ts';

/**
 * The CANCEL for an INVITE this node sent (RFC 3261 section 9.1): same Request-URI, Call-ID,
 * From, To, CSeq number and Route set, and the INVITE's branch, so that the next hop matches it
 * to the INVITE's server transaction. Send it to where the INVITE went, once a provisional
 * response has arrived.
 */
export function cancelFor(invite: OutgoingRequest, sentBy: string): OutgoingRequest {
  const raw = invite.raw;
  const headers = [
    ...raw.values('route').map((value) => ({ name: 'Route', value })),
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: raw.first('from') ?? '' },
    { name: 'To', value: raw.first('to') ?? '' },
    { name: 'Call-ID', value: raw.first('call-id') ?? '' },
    { name: 'CSeq', value: `${invite.cseq} CANCEL` },
  ];
  const cancel = new OutgoingRequest(new RawMessage(`CANCEL ${invite.ruri} SIP/2.0`, headers, ''), sentBy);
  // sip.js takes a CANCEL's transaction id from its branch: the INVITE's (RFC 3261 9.1).
  cancel.branch = invite.branch;
  return cancel;
}
