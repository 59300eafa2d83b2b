/**
 * One echo call as the echo peer saw it.
 *
 * ```
 *   answering ──200 OK sent──▶ waiting ──first RTP──▶ echoing ──BYE──▶ ended
 *       │                         └──no RTP in time, ICE failed: BYE──▶ ended
 *       └──not WebRTC, werift refused the offer: 488──▶ ended
 * ```
 */
export type EchoCallState = 'answering' | 'waiting' | 'echoing' | 'ended';

export interface EchoCallStats {
  /** The Call-ID. */
  id: string;
  /** The caller's AOR, as its certificate proves it. */
  peer: string;
  state: EchoCallState;
  startedAt: number;
  answeredAt: number | undefined;
  /** 200 OK sent to the first RTP packet received, in milliseconds. */
  firstRtpMs: number | undefined;
  rtpReceived: number;
  rtpEchoed: number;
  dtmfPackets: number;
  /** werift's connection state: new, connecting, connected, failed, closed (none before the offer). */
  connection: string;
  /** The DTMF keys heard (RFC 4733), in order. */
  digits: string;
  /** Why it ended, when it has. */
  end: string | undefined;
}

/** What an echo peer reports: `chordline peer --echo`, `peer state`, and the tests. */
export interface EchoStats {
  answered: number;
  /** Offers refused (488) or calls turned away (486). */
  refused: number;
  inProgress: number;
  rtpReceived: number;
  rtpEchoed: number;
  /** The call that started last, in progress or not. */
  lastCall: EchoCallStats | undefined;
  /** Calls in progress and the last few that ended, oldest first. */
  calls: EchoCallStats[];
}
