/** The codecs the bridge relays without transcoding: G.711 (RFC 3551 section 4.5.14), static payload types. */
export type G711 = 'PCMU' | 'PCMA';

export const G711_PAYLOAD_TYPE: Record<G711, number> = { PCMU: 0, PCMA: 8 };

/** The telephone-event payload type the bridge offers on both legs (RFC 4733; any dynamic value works). */
export const TELEPHONE_EVENT_PT = 101;

/** Larger than any offer a desk phone makes, smaller than what would hurt to parse. */
const MAX_SDP_BYTES = 16 * 1024;

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** What the bridge needs from a plain SIP phone's session description (RFC 4566, RFC 3264). */
export interface PlainAudio {
  /** Where the phone wants its RTP (the audio stream's c= line, else the session's). */
  address: string;
  port: number;
  /** The G.711 codecs offered, in the phone's order of preference. */
  g711: G711[];
  /** The phone's telephone-event payload type at 8000 Hz, if it offered one. */
  telephoneEvent: number | undefined;
  direction: Direction;
}

export type PlainAudioParse = { ok: true; audio: PlainAudio } | { ok: false; reason: string };

/**
 * Reads the first audio stream of a plain RTP/AVP offer or answer. Every refusal says what a
 * person would change in their phone's settings: the bridge speaks G.711 over plain RTP only
 * (no SRTP: a phone that insists on RTP/SAVP is refused rather than silently downgraded).
 */
export function parsePlainAudio(sdp: string | undefined): PlainAudioParse {
  if (sdp === undefined || sdp.trim() === '') return refuse('the call offers no session description');
  if (Buffer.byteLength(sdp) > MAX_SDP_BYTES)
    return refuse(`the session description is over ${MAX_SDP_BYTES} bytes`);
  if (!/^v=0\r?$/m.test(sdp)) return refuse('the session description is not SDP (no v=0 line)');
  const sections = sdp.split(/\r?\n(?=m=)/);
  const session = sections[0];
  const audio = sections.find((s) => s.startsWith('m=audio '));
  if (!audio) return refuse('the offer has no audio stream');
  const m = /^m=audio (\d+) (\S+) ([\d ]+)\r?$/m.exec(audio);
  if (!m) return refuse('its audio line (m=audio) cannot be read');
  const [, portText, profile, formats] = m;
  if (profile !== 'RTP/AVP') {
    return refuse(
      `its audio uses ${profile}; a desk phone on the bridge must use plain RTP/AVP (turn SRTP off)`,
    );
  }
  const port = Number(portText);
  if (port > 65535) return refuse('its audio port is out of range');
  const connection = /^c=IN IP[46] ([^\s/]+)/m.exec(audio) ?? /^c=IN IP[46] ([^\s/]+)/m.exec(session);
  if (!connection) return refuse('it says no address for its audio (no c= line)');
  const payloadTypes = formats.trim().split(/\s+/).map(Number);
  const rtpmap = new Map<number, string>();
  for (const [, pt, name] of audio.matchAll(/^a=rtpmap:(\d+) ([^\s]+)\r?$/gm)) {
    rtpmap.set(Number(pt), name.toLowerCase());
  }
  const g711: G711[] = [];
  let telephoneEvent: number | undefined;
  for (const pt of payloadTypes) {
    const name = rtpmap.get(pt);
    // RFC 3551 table 4: 0 and 8 need no rtpmap.
    if (pt === 0 && (name === undefined || name === 'pcmu/8000')) g711.push('PCMU');
    else if (pt === 8 && (name === undefined || name === 'pcma/8000')) g711.push('PCMA');
    else if (name === 'pcmu/8000') g711.push('PCMU');
    else if (name === 'pcma/8000') g711.push('PCMA');
    else if (name === 'telephone-event/8000') telephoneEvent ??= pt;
  }
  if (g711.length === 0) {
    return refuse(
      'it offers no G.711 audio (PCMU or PCMA): enable G.711 in the phone; the bridge does not transcode',
    );
  }
  return {
    ok: true,
    audio: {
      address: connection[1],
      port,
      g711: [...new Set(g711)],
      telephoneEvent,
      direction: directionOf(audio) ?? directionOf(session) ?? 'sendrecv',
    },
  };
}

export interface PlainSdpInput {
  address: string;
  port: number;
  codec: G711;
  /** Offer or accept telephone-event at 8000 Hz under this payload type. */
  telephoneEvent: number | undefined;
  direction: Direction;
  sessionId: number;
  version: number;
}

/** The bridge's own side of the LAN leg: one audio stream, one G.711 codec, plain RTP/AVP. */
export function plainSdp(input: PlainSdpInput): string {
  const family = input.address.includes(':') ? 'IP6' : 'IP4';
  const pt = G711_PAYLOAD_TYPE[input.codec];
  const event = input.telephoneEvent;
  return [
    'v=0',
    `o=chordline ${input.sessionId} ${input.version} IN ${family} ${input.address}`,
    's=Chordline bridge',
    `c=IN ${family} ${input.address}`,
    't=0 0',
    `m=audio ${input.port} RTP/AVP ${pt}${event === undefined ? '' : ` ${event}`}`,
    `a=rtpmap:${pt} ${input.codec}/8000`,
    ...(event === undefined ? [] : [`a=rtpmap:${event} telephone-event/8000`, `a=fmtp:${event} 0-16`]),
    'a=ptime:20',
    `a=${input.direction}`,
    '',
  ].join('\r\n');
}

/** RFC 3264 section 6.1: the answer's direction mirrors the offer's. */
export function answerDirection(offered: Direction): Direction {
  if (offered === 'sendonly') return 'recvonly';
  if (offered === 'recvonly') return 'sendonly';
  return offered;
}

function directionOf(section: string): Direction | undefined {
  return /^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(section)?.[1] as Direction | undefined;
}

function refuse(reason: string): PlainAudioParse {
  return { ok: false, reason };
}
