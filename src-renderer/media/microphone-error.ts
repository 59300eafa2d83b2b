/**
 * Why the microphone could not be opened, from getUserMedia's DOMException names (Media Capture
 * and Streams §9.2): the person was asked and said no (or the system refuses the app), there is
 * no microphone, or another program holds it.
 */
export type MicrophoneProblem = 'denied' | 'missing' | 'busy';

export class MicrophoneError extends Error {
  override readonly name = 'MicrophoneError';

  constructor(
    readonly problem: MicrophoneProblem,
    message: string,
  ) {
    super(message);
  }

  static from(error: unknown): MicrophoneError {
    if (error instanceof MicrophoneError) return error;
    const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
    const message = error instanceof Error ? error.message : String(error);
    if (name === 'NotAllowedError' || name === 'SecurityError') return new MicrophoneError('denied', message);
    if (name === 'NotFoundError' || name === 'OverconstrainedError')
      return new MicrophoneError('missing', message);
    return new MicrophoneError('busy', message);
  }
}

/**
 * What to tell the person. In a call (`during` 'call') the call goes on in every case, receiving
 * only, and the words say so; in Settings they say what to do.
 */
export function microphoneProblemText(
  problem: MicrophoneProblem,
  during: 'call' | 'settings' = 'call',
): string {
  const unheard = during === 'call' ? ': the other side cannot hear you' : '';
  switch (problem) {
    case 'denied':
      return `Chordline may not use your microphone${unheard}. Allow the microphone for this page (the icon at the left of the address bar, or the privacy settings of your system), then ${during === 'call' ? 'call again' : 'try again'}.`;
    case 'missing':
      return `No microphone is connected${unheard}. Plug one in or choose one in Settings`;
    case 'busy':
      return `The microphone could not be opened (another program may be using it)${unheard}.`;
  }
}
