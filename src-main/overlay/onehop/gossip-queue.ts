import type { MemberStatus } from './membership.ts';
import type { MemberNews, MemberRecord } from './onehop-messages.ts';

interface Item {
  status: MemberStatus;
  record: MemberRecord;
  /** Gossips it has gone out in. */
  sent: number;
}

/**
 * The news a node passes on, SWIM's dissemination buffer: each item rides in the next Gossips
 * (the least-sent first) until it has gone out `rounds x log2(members + 1)` times, enough for an
 * epidemic to reach everyone with high probability; what is lost beyond that the digest check
 * repairs. Newer news about a node replaces older news about it.
 */
export class GossipQueue {
  readonly #items = new Map<string, Item>();

  add(status: MemberStatus, record: MemberRecord): void {
    this.#items.set(record.id, { status, record: { ...record }, sent: 0 });
  }

  get size(): number {
    return this.#items.size;
  }

  /** Up to `max` items for one Gossip, each counted as sent once more. */
  take(max: number, members: number, rounds: number): MemberNews {
    const limit = rounds * Math.ceil(Math.log2(members + 1));
    const chosen = [...this.#items.values()].sort((a, b) => a.sent - b.sent).slice(0, max);
    const news: MemberNews = { alive: [], failed: [], left: [] };
    for (const item of chosen) {
      news[item.status].push({ ...item.record });
      if (++item.sent >= limit) this.#items.delete(item.record.id);
    }
    return news;
  }

  clear(): void {
    this.#items.clear();
  }
}
