/** The direction of a media stream in a session description (RFC 3264 section 6.1). */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

/**
 * The direction of the first audio stream: its own a= line, else the session's, else sendrecv.
 * A stream with port 0 is rejected, so inactive.
 */
export function audioDirection(sdp: string): SdpDirection {
  let session: SdpDirection | undefined;
  let inAudio = false;
  let seenAudio = false;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      if (seenAudio) break;
      inAudio = line.startsWith('m=audio ');
      seenAudio = inAudio;
      if (inAudio && /^m=audio 0 /.test(line)) return 'inactive';
      continue;
    }
    const value = line.startsWith('a=') ? line.slice(2).trim() : '';
    if (!DIRECTIONS.includes(value)) continue;
    if (inAudio) return value as SdpDirection;
    if (!seenAudio) session = value as SdpDirection;
  }
  return session ?? 'sendrecv';
}

/** An offer that puts the other side on hold: this side stops receiving (RFC 3264 section 8.4). */
export function holdsOtherSide(offer: string): boolean {
  const direction = audioDirection(offer);
  return direction === 'sendonly' || direction === 'inactive';
}
