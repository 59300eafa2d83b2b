import type { Settings } from '../../src-main/ipc/contract.ts';

/**
 * Rings while a call waits, synthesised with Web Audio so that the bundle carries no sound files
 * (and the CSP needs no media source). Returns the function that stops it. Silent where there is
 * no Web Audio (jsdom).
 */
export function startRinging(tone: Settings['ringtone']): () => void {
  if (tone === 'none' || typeof AudioContext === 'undefined') return () => undefined;
  const context = new AudioContext();
  // Classic: the UK-style double ring (400 + 450 Hz). Soft: a falling two-note chime.
  const pattern =
    tone === 'classic'
      ? {
          period: 3,
          notes: [
            { at: 0, length: 0.4, freqs: [400, 450] },
            { at: 0.6, length: 0.4, freqs: [400, 450] },
          ],
          gain: 0.12,
        }
      : {
          period: 2.5,
          notes: [
            { at: 0, length: 0.5, freqs: [880] },
            { at: 0.5, length: 0.8, freqs: [660] },
          ],
          gain: 0.15,
        };
  let next = 0;
  const schedule = () => {
    while (next < context.currentTime + pattern.period * 2) {
      for (const note of pattern.notes) {
        const volume = context.createGain();
        volume.connect(context.destination);
        const start = next + note.at;
        volume.gain.setValueAtTime(0, start);
        volume.gain.linearRampToValueAtTime(pattern.gain, start + 0.02);
        volume.gain.setValueAtTime(pattern.gain, start + note.length - 0.05);
        volume.gain.linearRampToValueAtTime(0, start + note.length);
        for (const frequency of note.freqs) {
          const oscillator = context.createOscillator();
          oscillator.frequency.value = frequency;
          oscillator.connect(volume);
          oscillator.start(start);
          oscillator.stop(start + note.length);
        }
      }
      next += pattern.period;
    }
  };
  // A browser starts audio only once the person has interacted with the page: until then the
  // context waits in resume(), and the ringing starts with their first click or key.
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const running = context.state === 'running' ? Promise.resolve() : context.resume();
  running
    .then(() => {
      if (stopped) return;
      next = context.currentTime + 0.05;
      schedule();
      timer = setInterval(schedule, 1000);
    })
    .catch(() => undefined); // closed before it could start: nothing to ring
  return () => {
    stopped = true;
    clearInterval(timer);
    void context.close();
  };
}
