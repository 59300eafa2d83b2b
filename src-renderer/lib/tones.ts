import type { TonePattern } from './tone-player.ts';

/**
 * Ringback, the tone a caller hears while the other phone rings: the ITU-T E.180 recommended
 * 425 Hz, 1 s on and 4 s off (most of Europe), rather than the US 440 + 480 Hz 2 s on, 4 s off.
 */
export const RINGBACK: TonePattern = { period: 5, notes: [{ at: 0, length: 1, freqs: [425] }], gain: 0.1 };

/** Busy (486, 600): 425 Hz, 0.5 s on and off, three times. */
export const BUSY: TonePattern = {
  period: 3,
  notes: [0, 1, 2].map((i) => ({ at: i, length: 0.5, freqs: [425] })),
  gain: 0.1,
};

/** The other side hung up: two short high beeps. */
export const CALL_ENDED: TonePattern = {
  period: 1,
  notes: [
    { at: 0, length: 0.12, freqs: [620] },
    { at: 0.2, length: 0.12, freqs: [620] },
  ],
  gain: 0.08,
};

/** Settings' speaker test: a rising three-note chime, easy to tell from a call's tones. */
export const SPEAKER_TEST: TonePattern = {
  period: 1.5,
  notes: [
    { at: 0, length: 0.3, freqs: [523.25] },
    { at: 0.35, length: 0.3, freqs: [659.25] },
    { at: 0.7, length: 0.5, freqs: [783.99] },
  ],
  gain: 0.2,
};

/** The DTMF pairs (ITU-T Q.23): row frequency + column frequency, for local key feedback. */
const ROWS = [697, 770, 852, 941];
const COLUMNS = [1209, 1336, 1477];
const KEYPAD = ['123', '456', '789', '*0#'];

export const DTMF_KEYS = '0123456789*#';

/** A short local echo of a key sent as DTMF, quieter than the call. */
export function dtmfFeedback(key: string): TonePattern | null {
  const row = KEYPAD.findIndex((r) => r.includes(key));
  if (row < 0) return null;
  const column = KEYPAD[row]!.indexOf(key);
  return { period: 0.2, notes: [{ at: 0, length: 0.12, freqs: [ROWS[row]!, COLUMNS[column]!] }], gain: 0.05 };
}
