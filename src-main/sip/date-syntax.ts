/**
 * RFC 3261 section 20.17: "Date = "Date" HCOLON SIP-date; SIP-date = rfc1123-date ... RFC 3261
 * restricts the time zone in SIP-date to "GMT", while RFC 1123 allows any time zone."
 *
 * RFC 4475 3.1.2.12 (baddate) lets an element reject "EST" when the Date matters to it. It does
 * here: the Date header is part of the text every Chordline signature covers
 * (docs/ARCHITECTURE.md, "Signed messages"), so a node cannot leave it to interpretation.
 */
const RFC1123_GMT =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

export function dateProblem(value: string): string | undefined {
  const m = RFC1123_GMT.exec(value.trim());
  if (!m) return 'Date is not an RFC 1123 date in GMT';
  const [day, hour, minute, second] = [m[2], m[5], m[6], m[7]].map(Number);
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return 'Date has an impossible time';
  return undefined;
}
