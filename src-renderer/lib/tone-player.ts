/**
 * Tones synthesised with Web Audio, so that the bundle carries no sound files (and the CSP needs
 * no media source): a pattern of notes, each one or more sine waves, played once or repeated.
 * Silent where there is no Web Audio (jsdom).
 */
export interface TonePattern {
  /** Seconds from one repetition's start to the next. */
  period: number;
  notes: ReadonlyArray<{ at: number; length: number; freqs: readonly number[] }>;
  gain: number;
}

export interface PlayOptions {
  /** Repeat until stopped (ringtones, ringback); else play the pattern once. */
  repeat?: boolean;
  /** The output device (AudioContext.setSinkId, where the browser has it); '' the default. */
  sinkId?: string;
  /** Called once a pattern played once has finished. */
  onended?: () => void;
}

type SinkableContext = AudioContext & { setSinkId?: (id: string) => Promise<void> };

/** Starts the pattern; returns the function that stops it (safe to call twice). */
export function playTones(pattern: TonePattern, options: PlayOptions = {}): () => void {
  if (typeof AudioContext === 'undefined') {
    options.onended?.();
    return () => undefined;
  }
  const context: SinkableContext = new AudioContext();
  let next = 0;
  const scheduleOne = () => {
    for (const note of pattern.notes) {
      const volume = context.createGain();
      volume.connect(context.destination);
      const start = next + note.at;
      const ramp = Math.min(0.02, note.length / 4);
      volume.gain.setValueAtTime(0, start);
      volume.gain.linearRampToValueAtTime(pattern.gain, start + ramp);
      volume.gain.setValueAtTime(pattern.gain, start + note.length - ramp);
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
  };
  const schedule = () => {
    while (next < context.currentTime + pattern.period * 2) scheduleOne();
  };
  // A browser starts audio only once the person has interacted with the page: until then the
  // context waits in resume(), and the tone starts with their first click or key.
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    clearTimeout(timer);
    void context.close().catch(() => undefined);
  };
  const sink = options.sinkId && context.setSinkId ? context.setSinkId(options.sinkId) : Promise.resolve();
  sink
    .catch(() => undefined) // the device is gone: the default output plays it
    .then(() => (context.state === 'running' ? undefined : context.resume()))
    .then(() => {
      if (stopped) return;
      next = context.currentTime + 0.05;
      if (options.repeat) {
        schedule();
        timer = setInterval(schedule, 1000);
        return;
      }
      scheduleOne();
      const lasts = Math.max(...pattern.notes.map((n) => n.at + n.length));
      timer = setTimeout(
        () => {
          stop();
          options.onended?.();
        },
        (lasts + 0.1) * 1000,
      );
    })
    .catch(() => {
      // Closed before it could start: nothing to play.
      options.onended?.();
    });
  return stop;
}
