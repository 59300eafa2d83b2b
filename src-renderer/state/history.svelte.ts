import type { HistoryEntry, PhoneApi } from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';

/** Where the moment the person last looked at the history is kept (this window's storage). */
const SEEN_KEY = 'chordline.history.seenAt';

/**
 * The call history, persisted by the core (listHistory, historyChanged), newest first, and which
 * missed calls the person has not seen yet (the sidebar's badge).
 */
export class HistoryState {
  entries = $state.raw<HistoryEntry[]>([]);
  error = $state<string | null>(null);
  seenAt = $state(readSeenAt());

  newestFirst = $derived([...this.entries].sort((a, b) => b.startedAt - a.startedAt));
  unseenMissed = $derived(this.entries.filter((e) => e.missed && e.startedAt > this.seenAt).length);

  #api: PhoneApi;
  #off: () => void;

  constructor(api: PhoneApi) {
    this.#api = api;
    this.#off = api.on('historyChanged', (entries) => {
      this.entries = entries;
    });
  }

  async load(): Promise<void> {
    try {
      this.entries = await this.#api.listHistory();
    } catch (error) {
      this.error = errorText(error);
    }
  }

  async clear(): Promise<boolean> {
    this.error = null;
    try {
      await this.#api.clearHistory();
      this.entries = [];
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    }
  }

  /** The person has looked at the history: no missed call is news any more. */
  markSeen(now: number = Date.now()): void {
    const newest = Math.max(now, ...this.entries.map((e) => e.startedAt));
    if (newest <= this.seenAt) return;
    this.seenAt = newest;
    try {
      localStorage.setItem(SEEN_KEY, String(newest));
    } catch {
      // No storage (a locked-down browser profile): the badge simply comes back next time.
    }
  }

  dispose(): void {
    this.#off();
  }
}

function readSeenAt(): number {
  try {
    return Number(globalThis.localStorage?.getItem(SEEN_KEY)) || 0;
  } catch {
    return 0;
  }
}
