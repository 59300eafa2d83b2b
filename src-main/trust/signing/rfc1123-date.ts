const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * RFC 3261 §20.17: `Date = "Date" HCOLON SIP-date; SIP-date = rfc1123-date`, and "RFC 1123 …
 * SIP restricts the time zone in SIP-date to GMT". Exactly `Sun, 06 Nov 1994 08:49:37 GMT`.
 */
const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/**
 * Milliseconds since the epoch for a SIP Date header, or `undefined` when it is not a strict
 * RFC 1123 GMT date.
 *
 * `Date.parse` is deliberately not used: it accepts dozens of formats and guesses time zones,
 * and the Date header is part of what a signature covers, so a lenient parser would let two
 * spellings of "now" pass the replay window differently. The day name must match the date, and
 * impossible dates (31 Feb, 24:00:00) are refused; leap seconds are refused too.
 */
export function parseRfc1123Date(text: string): number | undefined {
  const match = RFC1123.exec(text);
  if (match === null) return undefined;
  const [, dayName, dd, monthName, yyyy, hh, mm, ss] = match;
  const month = MONTHS.indexOf(monthName as (typeof MONTHS)[number]);
  if (month < 0) return undefined;
  const [day, year, hour, minute, second] = [dd, yyyy, hh, mm, ss].map(Number);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month, day, hour, minute, second);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month || date.getUTCDate() !== day) {
    return undefined;
  }
  if (DAYS[date.getUTCDay()] !== dayName) return undefined;
  return ms;
}

/** The SIP Date header for a moment, e.g. `Sun, 06 Nov 1994 08:49:37 GMT` (seconds truncated). */
export function formatRfc1123Date(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ` +
    `${String(date.getUTCFullYear()).padStart(4, '0')} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} GMT`
  );
}
