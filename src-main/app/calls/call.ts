import { holdsOtherSide } from './sdp-direction.ts';

/**
 * One call as this peer sees it, outgoing or incoming, from the INVITE to the end of its dialog.
 *
 * ```
 *   outgoing:  calling ──signed 180──▶ ringing ──signed 200 (ACK sent)──▶ active ──BYE──▶ ended
 *   incoming:            (180 sent)   ringing ──answer(): 200, ACK in──▶ active ──BYE──▶ ended
 *   either:    calling / ringing ──CANCEL, a 3xx-6xx, no answer in time, reject()──▶ ended
 * ```
 *
 * `ended` is final; `end` says why, with the SIP status a person can look up (200 for a call
 * that was answered and then hung up, 487 for one cancelled while ringing, 404, 480, 408…).
 */
export type CallState = 'calling' | 'ringing' | 'active' | 'ended';
export type CallDirection = 'outgoing' | 'incoming';

export interface CallEnd {
  status: number;
  reason: string;
  /** Who ended it: this side, the other party, or the network (a proxy, a timeout). */
  by: 'local' | 'remote' | 'network';
}

/** Plain data for the CLI, the UI and the tests. */
export interface CallSnapshot {
  /** The Call-ID. */
  id: string;
  direction: CallDirection;
  state: CallState;
  /** The other party's AOR (for an incoming call, the one its certificate proves). */
  peer: string;
  /** Peers that proxied the INVITE between caller and callee, as the callee counted them. */
  hops: number | undefined;
  startedAt: number;
  ringingAt: number | undefined;
  answeredAt: number | undefined;
  endedAt: number | undefined;
  /** INVITE sent (or received) to 200 OK, in milliseconds. */
  setupMs: number | undefined;
  end: CallEnd | undefined;
  localSdp: string | undefined;
  remoteSdp: string | undefined;
}

/** What a call asks the agent that runs it to do (so that Call holds no SIP). */
export interface CallActions {
  hangup(call: Call): void;
  answer(call: Call, sdp: string): void;
  reject(call: Call, status: number, reason: string): void;
  updateMedia(call: Call, sdp: string): Promise<string>;
}

export class Call {
  state: CallState;
  hops: number | undefined;
  readonly startedAt = Date.now();
  ringingAt: number | undefined;
  answeredAt: number | undefined;
  endedAt: number | undefined;
  end: CallEnd | undefined;
  remoteSdp: string | undefined;
  localSdp: string | undefined;
  /** This side put the call on hold (its latest re-INVITE offered sendonly or inactive). */
  heldByUs = false;
  /** The other side put the call on hold. */
  heldByThem = false;
  /** Resolves once the call is answered (true) or ended without an answer (false). */
  readonly answered: Promise<boolean>;
  /** Resolves when the call has ended, with why. */
  readonly ended: Promise<CallEnd>;
  #settleAnswered!: (answered: boolean) => void;
  #settleEnded!: (end: CallEnd) => void;
  readonly #listeners = new Set<(call: Call) => void>();

  constructor(
    readonly id: string,
    readonly direction: CallDirection,
    readonly peer: string,
    private readonly actions: CallActions,
  ) {
    this.state = direction === 'outgoing' ? 'calling' : 'ringing';
    this.answered = new Promise((resolve) => (this.#settleAnswered = resolve));
    this.ended = new Promise((resolve) => (this.#settleEnded = resolve));
  }

  /** Hangs up: CANCEL while it rings, BYE once answered; nothing once ended. */
  hangup(): void {
    if (this.state !== 'ended') this.actions.hangup(this);
  }

  /** Answers an incoming call that is ringing, with this session description. */
  answer(sdp: string): void {
    if (this.direction !== 'incoming' || this.state !== 'ringing') {
      throw new Error(`Only a ringing incoming call can be answered (this one is ${this.state})`);
    }
    this.actions.answer(this, sdp);
  }

  /**
   * Sends a new offer in an answered call (a re-INVITE: hold, resume, another device) and
   * resolves with the other side's answer, signed by it; rejects with a reason a person can read
   * (488 the other side cannot take it, 491 both sides changed the call at once, no answer…).
   */
  updateMedia(sdp: string): Promise<string> {
    if (this.state !== 'active') {
      return Promise.reject(
        new Error(`Only an answered call can change its media (this one is ${this.state})`),
      );
    }
    return this.actions.updateMedia(this, sdp);
  }

  /**
   * Who answers the other side's new offers (re-INVITE) in this call: resolves with the answer,
   * or undefined when this side cannot take the offer (the other side gets 488). Unset: every
   * new offer is refused with 488.
   */
  onOffer: ((sdp: string) => Promise<string | undefined>) | undefined;

  /** Declines an incoming call that is ringing (486 Busy Here, 603 Decline…). */
  reject(status = 603, reason = 'Decline'): void {
    if (this.direction !== 'incoming' || this.state !== 'ringing') return;
    this.actions.reject(this, status, reason);
  }

  onChange(listener: (call: Call) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** @internal state changes come from the agent only. */
  markRinging(): void {
    if (this.state !== 'calling') return;
    this.state = 'ringing';
    this.ringingAt = Date.now();
    this.#changed();
  }

  /** @internal */
  markActive(): void {
    if (this.state === 'active' || this.state === 'ended') return;
    this.state = 'active';
    this.answeredAt = Date.now();
    this.#settleAnswered(true);
    this.#changed();
  }

  /**
   * @internal a re-INVITE's offer and answer took effect. Hold is what the offerer asked for
   * (sendonly or inactive): the first INVITE never holds, whatever its SDP says (a call placed
   * from the command line offers inactive audio and is not "on hold").
   */
  markMedia(localSdp: string, remoteSdp: string, offeredBy: 'local' | 'remote'): void {
    if (this.state !== 'active') return;
    this.localSdp = localSdp;
    this.remoteSdp = remoteSdp;
    if (offeredBy === 'local') this.heldByUs = holdsOtherSide(localSdp);
    else this.heldByThem = holdsOtherSide(remoteSdp);
    this.#changed();
  }

  /** @internal */
  markEnded(end: CallEnd): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.end = end;
    this.endedAt = Date.now();
    this.#settleAnswered(false);
    this.#settleEnded(end);
    this.#changed();
  }

  snapshot(): CallSnapshot {
    return {
      id: this.id,
      direction: this.direction,
      state: this.state,
      peer: this.peer,
      hops: this.hops,
      startedAt: this.startedAt,
      ringingAt: this.ringingAt,
      answeredAt: this.answeredAt,
      endedAt: this.endedAt,
      setupMs: this.answeredAt === undefined ? undefined : this.answeredAt - this.startedAt,
      end: this.end,
      localSdp: this.localSdp,
      remoteSdp: this.remoteSdp,
    };
  }

  #changed(): void {
    for (const listener of this.#listeners) {
      try {
        listener(this);
      } catch {
        // A listener's failure is its own; the call goes on.
      }
    }
  }
}
