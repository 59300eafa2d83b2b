import type { HistoryEntry } from '../ipc/contract.ts';
import type { PhoneDatabase } from './phone-database.ts';

/** Calls older than the newest this many are forgotten: a phone's history is a list, not an archive. */
export const HISTORY_LIMIT = 500;

interface HistoryRow {
  id: string;
  direction: 'outgoing' | 'incoming';
  peer: string;
  started_at: number;
  answered_at: number | null;
  ended_at: number;
  status: number;
  reason: string;
  missed: number;
}

export type NewHistoryEntry = Omit<HistoryEntry, 'peerName'>;

/** Every call that ended, newest first. Contact names are looked up when read, so a renamed contact shows its new name. */
export class CallHistory {
  private readonly sql;

  constructor(private readonly store: PhoneDatabase) {
    const { db } = store;
    this.sql = {
      all: db.prepare<[number], HistoryRow>('SELECT * FROM history ORDER BY started_at DESC, id LIMIT ?'),
      insert: db.prepare<[string, string, string, number, number | null, number, number, string, number]>(
        `INSERT OR REPLACE INTO history
           (id, direction, peer, started_at, answered_at, ended_at, status, reason, missed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      prune: db.prepare<[number]>(
        `DELETE FROM history WHERE id NOT IN
           (SELECT id FROM history ORDER BY started_at DESC, id LIMIT ?)`,
      ),
      clear: db.prepare('DELETE FROM history'),
    };
  }

  list(nameOf: (aor: string) => string | null): HistoryEntry[] {
    return this.sql.all.all(HISTORY_LIMIT).map((row) => ({
      id: row.id,
      direction: row.direction,
      peer: row.peer,
      peerName: nameOf(row.peer),
      startedAt: row.started_at,
      answeredAt: row.answered_at,
      endedAt: row.ended_at,
      status: row.status,
      reason: row.reason,
      missed: row.missed === 1,
    }));
  }

  add(entry: NewHistoryEntry): void {
    this.store.write(() => {
      this.sql.insert.run(
        entry.id,
        entry.direction,
        entry.peer,
        entry.startedAt,
        entry.answeredAt,
        entry.endedAt,
        entry.status,
        entry.reason,
        entry.missed ? 1 : 0,
      );
      this.sql.prune.run(HISTORY_LIMIT);
    });
  }

  clear(): void {
    this.sql.clear.run();
  }
}
