/**
 * Certificate validity periods.
 */

/**
 * How far back a new certificate's notBefore goes. Peers' clocks drift; without this, a peer
 * whose clock is a few seconds behind the login server's would refuse a certificate issued
 * "in its future" and the first call after sign-in would fail.
 */
export const CLOCK_SKEW_MS = 60_000;

/** X.509 times have whole seconds; truncating keeps the Dates we return equal to the encoded ones. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
