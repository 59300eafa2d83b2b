import type { EventName, PhoneEvents } from '../ipc/contract.ts';

type Listener<E extends EventName> = (payload: PhoneEvents[E]) => void;

/**
 * The core's news for its carriers. A listener that throws is the carrier's bug: it is reported
 * to `onError` and the other listeners still hear the event (one closed browser tab must not
 * silence the Electron window).
 */
export class PhoneEventHub {
  private readonly listeners = new Map<EventName, Set<Listener<never>>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const entry = listener as Listener<never>;
    set.add(entry);
    return () => void set.delete(entry);
  }

  emit<E extends EventName>(event: E, payload: PhoneEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as Listener<E>)(payload);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
