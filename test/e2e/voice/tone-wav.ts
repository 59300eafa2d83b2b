import { writeFileSync } from 'node:fs';

/** Chromium's fake capture device plays WAV files at this rate best (it resamples others). */
const RATE = 48_000;

/**
 * A WAV file holding a pure sine tone: what a fake microphone (`--use-file-for-fake-audio-capture`)
 * plays, in a loop, to the page. 16-bit PCM mono; a whole number of periods per file so that the
 * loop has no click. Returns the path.
 */
export function writeToneWav(
  path: string,
  options: { hz: number; seconds?: number; amplitude?: number },
): string {
  const { hz } = options;
  const amplitude = options.amplitude ?? 0.5;
  // Round the length to whole periods of the tone (a click at the loop point is a broadband peak).
  const periods = Math.max(1, Math.round(hz * (options.seconds ?? 4)));
  const frames = Math.round((periods * RATE) / hz);
  const data = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / RATE) * amplitude * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
  return path;
}
