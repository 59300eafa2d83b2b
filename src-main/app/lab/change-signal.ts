/** "Something changed": many announcers, many listeners, no payload (lab-network's ring watch). */
export class ChangeSignal {
  readonly #listeners = new Set<() => void>();

  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
