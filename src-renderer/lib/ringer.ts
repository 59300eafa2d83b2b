import type { Settings } from '../../src-main/ipc/contract.ts';
import { playTones, type TonePattern } from './tone-player.ts';

/** Classic: the UK-style double ring (400 + 450 Hz). Soft: a falling two-note chime. */
const RINGTONES: Record<Exclude<Settings['ringtone'], 'none'>, TonePattern> = {
  classic: {
    period: 3,
    notes: [
      { at: 0, length: 0.4, freqs: [400, 450] },
      { at: 0.6, length: 0.4, freqs: [400, 450] },
    ],
    gain: 0.12,
  },
  soft: {
    period: 2.5,
    notes: [
      { at: 0, length: 0.5, freqs: [880] },
      { at: 0.5, length: 0.8, freqs: [660] },
    ],
    gain: 0.15,
  },
};

/**
 * Rings while a call waits, on the speaker chosen in Settings. Returns the function that stops
 * it. Silent where there is no Web Audio (jsdom).
 */
export function startRinging(tone: Settings['ringtone'], sinkId = ''): () => void {
  if (tone === 'none') return () => undefined;
  return playTones(RINGTONES[tone], { repeat: true, sinkId });
}
