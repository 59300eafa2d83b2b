import type { RevocationReason, RevokedCertificate } from '../../overlay/xml/index.ts';

/**
 * Where the certificate validator asks "is this one revoked?". It asks on every use of a
 * certificate, cached or not, so an answer MUST be cheap (a map lookup) and MUST reflect the
 * newest list applied. A match on serial or on fingerprint is a revocation: each names one
 * certificate of our CA, and a list may have only one of them right.
 *
 * @param serial lowercase hex without leading zeros (`normalizeSerial`)
 * @param fingerprint 64 lowercase hex digits
 */
export interface RevocationSource {
  revocationOf(serial: string, fingerprint: string): RevokedCertificate | undefined;
}

/** A source that revokes nothing, for a network whose login server has published no list yet. */
export const noRevocations: RevocationSource = { revocationOf: () => undefined };

const REASON_WORDS: Record<RevocationReason, string> = {
  unspecified: 'no reason given',
  keyCompromise: 'key compromised',
  cACompromise: 'login server compromised',
  affiliationChanged: 'affiliation changed',
  superseded: 'superseded by a newer certificate',
  cessationOfOperation: 'account closed',
  certificateHold: 'on hold',
  privilegeWithdrawn: 'privilege withdrawn',
  aACompromise: 'attribute authority compromised',
};

/** An RFC 5280 CRLReason name in words a person reads in a refusal. */
export function revocationReasonInWords(reason: RevocationReason): string {
  return REASON_WORDS[reason] ?? reason;
}
