/**
 * Wall-clock time in milliseconds since the epoch.
 *
 * Injected everywhere time matters (certificate validity, Date windows, replay memory, how long we
 * remember which peers hold our certificate) so that tests move time forward instead of sleeping.
 */
export interface Clock {
  now(): number;
}

/** The real clock; production code passes this, tests pass a fake. */
export const systemClock: Clock = { now: () => Date.now() };
