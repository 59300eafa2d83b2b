import type { CallView, PhoneApi } from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';

/**
 * Calls in progress, as the core reports them (callChanged). A call's life (CallView.state):
 *
 *     outgoing:  calling ──▶ ringing ──▶ active ──▶ ended
 *     incoming:             ringing ──▶ active ──▶ ended
 *                  (any state) ──hangup / decline / failure──▶ ended
 *
 * An ended call leaves `live` at once; if it was answered, or was the person's own attempt,
 * it stays in `ended` so the call screen can say how it ended until it is dismissed.
 */
export class CallsState {
  /** Calls that have not ended, oldest first. */
  live = $state.raw<CallView[]>([]);
  ended = $state.raw<CallView | null>(null);
  /** Why the last command (dial, answer, ...) was refused. */
  error = $state<string | null>(null);

  /** The first incoming call still ringing: what the incoming-call screen shows. */
  incoming = $derived(this.live.find((c) => c.direction === 'incoming' && c.state === 'ringing') ?? null);
  /** The call the call screen shows: the newest one that is not waiting to be answered. */
  current = $derived(
    this.live.findLast((c) => !(c.direction === 'incoming' && c.state === 'ringing')) ?? null,
  );

  #api: PhoneApi;
  #off: () => void;

  constructor(api: PhoneApi) {
    this.#api = api;
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

  /** Calls `aor`; the new call, or null with `error` set. */
  async dial(aor: string): Promise<CallView | null> {
    return this.#command(async () => {
      const call = await this.#api.dial(aor);
      this.#update(call);
      return call;
    });
  }

  async answer(callId: string): Promise<boolean> {
    return (await this.#command(() => this.#api.answer(callId).then(() => true))) ?? false;
  }

  async decline(callId: string): Promise<boolean> {
    return (await this.#command(() => this.#api.decline(callId).then(() => true))) ?? false;
  }

  async hangup(callId: string): Promise<boolean> {
    return (await this.#command(() => this.#api.hangup(callId).then(() => true))) ?? false;
  }

  dismissEnded(): void {
    this.ended = null;
  }

  dispose(): void {
    this.#off();
  }

  #update(call: CallView): void {
    const others = this.live.filter((c) => c.id !== call.id);
    if (call.state === 'ended') {
      this.live = others;
      if (call.direction === 'outgoing' || call.answeredAt !== null) this.ended = call;
      return;
    }
    const known = this.live.some((c) => c.id === call.id);
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
