/**
 * Where one peer stands in a switch of its identity layer's algorithm (docs/PROTOCOL.md
 * section 10). Lookups ask the overlay named first, then the other one on a miss:
 *
 * ```
 *            accept(SwitchLayer, epoch > mine)
 *   steady ─────────────────────────────────▶ joining     old ▸ new (once new has joined)
 *     ▲                                         │  │
 *     │             nobody runs it, seed dead   │  │ joined (created, if I am the seed),
 *     ├──────────────── aborted ◀───────────────┘  │ own binding and stored bindings copied
 *     │                                            ▼
 *     │                                        checking     old ▸ new: the same sample keys
 *     │                                            │        routed in both until the owners agree
 *     │                                            │ agree (or gave up waiting: move anyway)
 *     │                                            ▼
 *     │                                          moved      new ▸ old: the old one still answers
 *     │                                            │        for the peers that have not moved
 *     │            old stopped quietly, unhosted   │ grace: 2 refresh periods
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
    return next;
  }
}
