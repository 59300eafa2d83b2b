import type { CallView, PhoneApi } from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';
import type { MediaState } from './media.svelte.ts';

/**
 * Calls in progress, as the core reports them (callChanged). A call's life (CallView.state):
 *
 *     outgoing:  calling ──▶ ringing ──▶ active ──▶ ended
 *     incoming:             ringing ──▶ active ──▶ ended
 *                  (any state) ──hangup / decline / failure──▶ ended
 *
 * An ended call leaves `live` at once; if it was answered, or was the person's own attempt,
 * it stays in `ended` so the call screen can say how it ended until it is dismissed.
 *
 * With voice (MediaState), an outgoing call first makes its offer (microphone, ICE gathering:
 * up to a few seconds) before the core hears of it; meanwhile `preparing` stands in for it, so
 * the call screen shows at once and Cancel works.
 */
export class CallsState {
  /** Calls that have not ended, oldest first. */
  live = $state.raw<CallView[]>([]);
  ended = $state.raw<CallView | null>(null);
  /** Why the last command (dial, answer, ...) was refused. */
  error = $state<string | null>(null);
  /** An outgoing call whose offer is being made: not yet known to the core. */
  preparing = $state.raw<CallView | null>(null);

  /** The first incoming call still ringing: what the incoming-call screen shows. */
  incoming = $derived(this.live.find((c) => c.direction === 'incoming' && c.state === 'ringing') ?? null);
  /** The call the call screen shows: the newest one that is not waiting to be answered. */
  current = $derived(
    this.live.findLast((c) => !(c.direction === 'incoming' && c.state === 'ringing')) ?? this.preparing,
  );

  #api: PhoneApi;
  /** Calls that ended (the newest 256): a late view of one is stale. Never rendered. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not state the UI shows
  #over = new Set<string>();
  #media: MediaState | null;
  #off: () => void;
  #prepared = 0;
  // Plain: nothing renders from it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #answering = new Set<string>();

  constructor(api: PhoneApi, media: MediaState | null = null) {
    this.#api = api;
    this.#media = media;
    this.#off = api.on('callChanged', (call) => this.#update(call));
  }

  async load(): Promise<void> {
    try {
      const calls = await this.#api.listCalls();
      this.live = calls.filter((c) => c.state !== 'ended');
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** Calls `aor`, with an offer when this page has voice; the new call, or null with `error` set. */
  async dial(aor: string): Promise<CallView | null> {
    const media = this.#media;
    if (!media?.available) {
      return this.#command(async () => {
        const call = await this.#api.dial(aor);
        this.#update(call);
        return call;
      });
    }
    const placeholder = preparingCall(aor, ++this.#prepared);
    this.preparing = placeholder;
    this.error = null;
    let prepared: Awaited<ReturnType<MediaState['prepareOffer']>> = null;
    try {
      prepared = await media.prepareOffer();
      // Cancelled while the offer was made: the core never hears of the call.
      if (this.preparing !== placeholder) {
        media.drop(prepared?.media);
        return null;
      }
      const call = await this.#api.dial(prepared ? { aor, sdp: prepared.sdp } : aor);
      if (prepared) media.bind(call.id, prepared.media);
      this.#update(call);
      return call;
    } catch (error) {
      media.drop(prepared?.media);
      this.error = errorText(error);
      return null;
    } finally {
      if (this.preparing === placeholder) this.preparing = null;
    }
  }

  /** Answers a ringing call: with an answer to its offer when both sides have voice. */
  async answer(callId: string): Promise<boolean> {
    const media = this.#media;
    const call = this.live.find((c) => c.id === callId);
    if (!media?.available || !call) {
      return (await this.#command(() => this.#api.answer(callId).then(() => true))) ?? false;
    }
    // The answer takes a moment (the microphone, perhaps a permission prompt): a second press
    // of Accept meanwhile must not make a second connection.
    if (this.#answering.has(callId)) return false;
    this.#answering.add(callId);
    const done = await this.#command(async () => {
      const sdp = await media.prepareAnswer(call);
      try {
        await this.#api.answer(sdp ? { callId, sdp } : callId);
      } catch (error) {
        media.drop(media.for(callId));
        throw error;
      }
      return true;
    });
    this.#answering.delete(callId);
    return done ?? false;
  }

  async decline(callId: string): Promise<boolean> {
    return (await this.#command(() => this.#api.decline(callId).then(() => true))) ?? false;
  }

  async hangup(callId: string): Promise<boolean> {
    if (this.preparing?.id === callId) {
      this.preparing = null;
      return true;
    }
    return (await this.#command(() => this.#api.hangup(callId).then(() => true))) ?? false;
  }

  dismissEnded(): void {
    this.ended = null;
  }

  dispose(): void {
    this.#off();
  }

  #update(call: CallView): void {
    // Views can arrive out of order (dial's own result after the event that ended the call):
    // a call never goes back to an earlier state, and an ended one never comes back.
    if (this.#over.has(call.id)) return;
    const current = this.live.find((c) => c.id === call.id);
    if (current && STATE_ORDER[call.state] < STATE_ORDER[current.state]) return;
    const others = this.live.filter((c) => c.id !== call.id);
    if (call.state === 'ended') {
      this.#over.add(call.id);
      if (this.#over.size > 256) this.#over.delete(this.#over.values().next().value!);
      this.live = others;
      if (call.direction === 'outgoing' || call.answeredAt !== null) this.ended = call;
      return;
    }
    const known = current !== undefined;
    this.live = known ? this.live.map((c) => (c.id === call.id ? call : c)) : [...others, call];
    if (this.ended?.id === call.id) this.ended = null;
  }

  async #command<T>(run: () => Promise<T>): Promise<T | null> {
    this.error = null;
    try {
      return await run();
    } catch (error) {
      this.error = errorText(error);
      return null;
    }
  }
}

/** What the call screen shows while an outgoing call's offer is made. */
function preparingCall(aor: string, n: number): CallView {
  return {
    id: `preparing-${n}`,
    direction: 'outgoing',
    state: 'calling',
    peer: aor,
    peerName: null,
    hops: null,
    startedAt: Date.now(),
    answeredAt: null,
    endedAt: null,
    end: null,
    remoteSdp: null,
    hold: 'none',
  };
}

const STATE_ORDER: Record<CallView['state'], number> = { calling: 0, ringing: 1, active: 2, ended: 3 };
