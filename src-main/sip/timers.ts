import { Timers } from 'sip.js/lib/core/index.js';

/**
 * RFC 3261 section 17 timer base values. Every other timer (A..K) derives from these on each
 * read (see patches/sip.js+0.21.2.patch), so scaling T1 scales the whole transaction layer.
 * They are process-wide, like the transaction layer of any SIP stack.
 */
export interface TimerSettings {
  t1: number;
  t2: number;
  t4: number;
}

export const RFC3261_TIMERS: TimerSettings = { t1: 500, t2: 4000, t4: 5000 };

export function configureTimers(settings: Partial<TimerSettings>): TimerSettings {
  const mutable = Timers as { T1: number; T2: number; T4: number };
  if (settings.t1 !== undefined) mutable.T1 = settings.t1;
  if (settings.t2 !== undefined) mutable.T2 = settings.t2;
  if (settings.t4 !== undefined) mutable.T4 = settings.t4;
  return currentTimers();
}

export function currentTimers(): TimerSettings {
  return { t1: Timers.T1, t2: Timers.T2, t4: Timers.T4 };
}
