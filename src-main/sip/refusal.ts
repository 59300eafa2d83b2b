/**
 * Why a request is refused before (or instead of) the work it asks for: the status, a reason
 * phrase a person can act on, and any header fields the status requires (Unsupported for 420,
 * Accept for 415, ...). Checks return one; only `sip/` turns it into a response.
 */
export interface Refusal {
  status: number;
  reason: string;
  headers?: Array<[string, string]>;
}

/** A 400 whose reason phrase names what is wrong, e.g. "Bad Request: unterminated quoted string in To". */
export function badRequest(problem: string): Refusal {
  return { status: 400, reason: `Bad Request: ${problem}` };
}
