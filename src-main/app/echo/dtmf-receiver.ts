/**
 * RFC 4733 telephone-event payload, section 2.3:
 *
 * ```
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     event     |E|R| volume    |          duration             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ```
 */
export interface TelephoneEvent {
  /** 0-9, 10 = *, 11 = #, 12-15 = A-D, 16 = flash (section 3.2). */
  event: number;
  end: boolean;
  volume: number;
  /** In RTP timestamp units, since the event began (the packet's RTP timestamp). */
  duration: number;
}

/** The DTMF events of RFC 4733 section 3.2, by event code. */
const DTMF_KEYS = '0123456789*#ABCD';

/** Decodes one telephone-event payload; undefined when it is too short to be one. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | undefined {
  if (payload.length < 4) return undefined;
  return {
    event: payload[0],
    end: (payload[1] & 0x80) !== 0,
    volume: payload[1] & 0x3f,
    duration: (payload[2] << 8) | payload[3],
  };
}

/** The key an event code stands for, or undefined for events that are not DTMF keys (flash…). */
export function dtmfKey(event: number): string | undefined {
  return DTMF_KEYS[event];
}

/** What the receiver needs from an RTP packet carrying telephone-event. */
export interface TelephoneEventPacket {
  ssrc: number;
  timestamp: number;
  payload: Uint8Array;
}

interface Ongoing {
  ssrc: number;
  timestamp: number;
  event: number;
  duration: number;
}

/** How many finished events to remember, to recognise their late or repeated packets. */
const REMEMBERED = 64;

/**
 * Turns a stream of telephone-event packets into the keys pressed, each once.
 *
 * RFC 4733 section 2.5.1.2: every packet of one event carries the same RTP timestamp (the
 * event's start); section 2.5.1.4: the final packet, with the E bit, is sent three times. So an
 * event is identified by SSRC + timestamp and counted when its first end packet arrives; the
 * other end packets, and any packet of that event arriving late, are ignored.
 *
 * Section 2.5.1.6: an event whose end packets were all lost is still counted, when the next
 * event begins. Section 2.5.1.5: an event longer than the duration field can hold goes on under a
 * new timestamp (the old one plus the old duration); that is the same key, not a new one.
 */
export class DtmfReceiver {
  /** The keys heard, in order. */
  digits = '';
  /** Packets too short to be a telephone event. */
  malformed = 0;
  #ongoing: Ongoing | undefined;
  readonly #finished: string[] = [];

  /** Takes one packet; returns the key it completed, if it completed one. */
  push(packet: TelephoneEventPacket): string | undefined {
    const parsed = parseTelephoneEvent(packet.payload);
    if (!parsed) {
      this.malformed++;
      return undefined;
    }
    const key = eventKey(packet.ssrc, packet.timestamp);
    if (this.#finished.includes(key)) return undefined;

    const ongoing = this.#ongoing;
    let heard: string | undefined;
    if (!ongoing || ongoing.ssrc !== packet.ssrc || ongoing.timestamp !== packet.timestamp) {
      const continues =
        ongoing !== undefined &&
        ongoing.ssrc === packet.ssrc &&
        ongoing.event === parsed.event &&
        (ongoing.timestamp + ongoing.duration) >>> 0 === packet.timestamp;
      if (ongoing && !continues) heard = this.#finish(ongoing);
      this.#ongoing = {
        ssrc: packet.ssrc,
        timestamp: packet.timestamp,
        event: parsed.event,
        duration: parsed.duration,
      };
      // A continued event keeps the key it was counted under: forget the old segment quietly.
      if (continues) this.#remember(eventKey(ongoing.ssrc, ongoing.timestamp));
    } else {
      ongoing.duration = Math.max(ongoing.duration, parsed.duration);
    }
    if (parsed.end) {
      const done = this.#finish(this.#ongoing!);
      // Two keys in one push only when the previous one lost all its end packets.
      return heard === undefined ? done : done === undefined ? heard : heard + done;
    }
    return heard;
  }

  #finish(event: Ongoing): string | undefined {
    if (this.#ongoing === event) this.#ongoing = undefined;
    this.#remember(eventKey(event.ssrc, event.timestamp));
    const key = dtmfKey(event.event);
    if (key !== undefined) this.digits += key;
    return key;
  }

  #remember(key: string): void {
    this.#finished.push(key);
    if (this.#finished.length > REMEMBERED) this.#finished.shift();
  }
}

function eventKey(ssrc: number, timestamp: number): string {
  return `${ssrc}/${timestamp}`;
}
