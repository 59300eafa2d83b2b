import type { PhoneApi, RingView } from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';

/** This node's place in the identity ring (Chord), live from ringChanged. */
export class RingState {
  view = $state.raw<RingView | null>(null);
  error = $state<string | null>(null);
  /** When the last picture of the ring arrived. */
  updatedAt = $state<number | null>(null);

  #api: PhoneApi;
  #off: () => void;

  constructor(api: PhoneApi) {
    this.#api = api;
    this.#off = api.on('ringChanged', (view) => this.#show(view));
  }

  async load(): Promise<void> {
    try {
      this.#show(await this.#api.ringState());
    } catch (error) {
      this.error = errorText(error);
    }
  }

  dispose(): void {
    this.#off();
  }

  #show(view: RingView): void {
    this.view = view;
    this.updatedAt = Date.now();
    this.error = null;
  }
}
