import type { LevelMeter } from './media-engine.ts';

/** Below this the meter shows nothing: a quiet room's noise floor, after noise suppression. */
const FLOOR_DB = -60;

/**
 * The level of a block of samples (-1..1) on a 0-100 scale: RMS in dBFS, from FLOOR_DB (0) to
 * full scale (100). Decibels, not raw RMS, so that speech at a normal distance moves the meter
 * through its middle rather than its first tenth.
 */
export function levelOf(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.round(Math.min(100, Math.max(0, ((db - FLOOR_DB) / -FLOOR_DB) * 100)));
}

/** An AnalyserNode on `stream`, in an AudioContext of its own (not connected to the speakers). */
export function analyserMeter(stream: MediaStream): LevelMeter {
  if (typeof AudioContext === 'undefined' || stream.getAudioTracks().length === 0) {
    return { read: () => 0, close: () => undefined };
  }
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  // A context made before the person's first click starts suspended; the meter resumes it.
  void context.resume().catch(() => undefined);
  return {
    read() {
      analyser.getFloatTimeDomainData(samples);
      return levelOf(samples);
    },
    close() {
      source.disconnect();
      void context.close().catch(() => undefined);
    },
  };
}
