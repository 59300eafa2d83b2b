/**
 * Where one peer stands in a switch of its identity layer's algorithm (docs/PROTOCOL.md
 * section 10.3). T is the moment the peer accepted the announcement, R its RetireAfter, P the
 * layer's refresh period. Lookups ask the overlay named first, then the other one on a miss:
 *
 * ```
 *            accept(SwitchLayer, epoch > mine)
 *   steady ─────────────────────────────────▶ joining     old (new: hosted, not yet joined)
 *     ▲                                         │  │
 *     │      could not join (no adopt, and no   │  │ joined: adopted the old overlay's nodes
 *     ├───── peer runs it, not even the seed) ◀─┘  │ (or created / joined through the seed)
 *     │      aborted                               ▼
 *     │                                        checking     old ▸ new; the new overlay carries
 *     │                                            │        no bindings: 2 P of quiet for the
 *     │                                            │        flood, then its own refresh
 *     │                                            │ agree: at T + R/2 once sample keys have the
 *     │                                            │ same owner in both (T + R - P at the latest);
 *     │                                            ▼ stored bindings copied into the new one
 *     │                                          moved      new ▸ old; bindings go into both
 *     │                                            │
 *     │   old stopped quietly, unhosted, at T + R  │ grace-over (every peer retires it together)
 *     └────────────────────────────────────────────┘
 * ```
 *
 * A second announcement while not steady is refused (409) and the operator sends it again.
 */
export type SwitchPhaseName = 'steady' | 'joining' | 'checking' | 'moved';

export type SwitchEvent = 'accept' | 'joined' | 'abort' | 'agree' | 'grace-over';

const NEXT: Readonly<Record<SwitchPhaseName, Partial<Record<SwitchEvent, SwitchPhaseName>>>> = {
  steady: { accept: 'joining' },
  joining: { joined: 'checking', abort: 'steady' },
  checking: { agree: 'moved', abort: 'steady' },
  moved: { 'grace-over': 'steady' },
};

export class InvalidSwitchTransitionError extends Error {
  constructor(from: SwitchPhaseName, event: SwitchEvent) {
    super(`A switch cannot go from ${from} on ${event}`);
    this.name = 'InvalidSwitchTransitionError';
  }
}

/** The phase, and the moments each was entered (for the lab's switch_ms and the status page). */
export class SwitchPhase {
  #name: SwitchPhaseName = 'steady';
  readonly history: Array<{ phase: SwitchPhaseName; at: number }> = [];
  readonly #watchers = new Set<(phase: SwitchPhaseName) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  get name(): SwitchPhaseName {
    return this.#name;
  }

  get switching(): boolean {
    return this.#name !== 'steady';
  }

  /** Moves on; an event that makes no sense in this phase is a bug, not a message to ignore. */
  on(event: SwitchEvent): SwitchPhaseName {
    const next = NEXT[this.#name][event];
    if (!next) throw new InvalidSwitchTransitionError(this.#name, event);
    this.#name = next;
    this.history.push({ phase: next, at: this.now() });
    for (const watcher of this.#watchers) watcher(next);
    return next;
  }

  /** Calls `watcher` at every step from now on (the UI follows a switch); returns the unsubscribe. */
  watch(watcher: (phase: SwitchPhaseName) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }
}
