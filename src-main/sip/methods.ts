/**
 * Methods some RFC defines: RFC 3261 (INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER) and the
 * extensions 3262 (PRACK), 3265/6665 (SUBSCRIBE, NOTIFY), 3311 (UPDATE), 3428 (MESSAGE),
 * 3515 (REFER), 3903 (PUBLISH), 6086 (INFO).
 *
 * RFC 3261 section 8.2.1: "If the UAS recognizes but does not support the method of a request,
 * it MUST generate a 405 (Method Not Allowed) response"; section 21.5.2: 501 "is the appropriate
 * response when a UAS does not recognize the request method".
 */
const KNOWN_METHODS = new Set([
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'OPTIONS',
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'UPDATE',
  'MESSAGE',
  'REFER',
  'PUBLISH',
  'INFO',
]);

/** Methods are case-sensitive (RFC 3261 section 7.1): "register" is not REGISTER. */
export function isKnownMethod(method: string): boolean {
  return KNOWN_METHODS.has(method);
}
