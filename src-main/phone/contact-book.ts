import { randomUUID } from 'node:crypto';
import type { Contact, ContactInput } from '../ipc/contract.ts';
import { PHONE_ERROR_CODES, PhoneCommandError } from '../ipc/phone-error.ts';
import type { PhoneDatabase } from './phone-database.ts';

interface ContactRow {
  id: string;
  name: string;
  aor: string;
}

/**
 * The person's contacts (name, AOR), kept in the phone database. Online state is not stored:
 * it is only true while the overlay says so (presence.ts), so it lives in memory.
 */
export class ContactBook {
  private readonly sql;

  constructor(private readonly store: PhoneDatabase) {
    const { db } = store;
    this.sql = {
      all: db.prepare<[], ContactRow>('SELECT id, name, aor FROM contacts ORDER BY name COLLATE NOCASE, aor'),
      byId: db.prepare<[string], ContactRow>('SELECT id, name, aor FROM contacts WHERE id = ?'),
      byAor: db.prepare<[string], ContactRow>('SELECT id, name, aor FROM contacts WHERE aor = ?'),
      insert: db.prepare<[string, string, string, number]>(
        'INSERT INTO contacts (id, name, aor, created_at) VALUES (?, ?, ?, ?)',
      ),
      update: db.prepare<[string, string, string]>('UPDATE contacts SET name = ?, aor = ? WHERE id = ?'),
      remove: db.prepare<[string]>('DELETE FROM contacts WHERE id = ?'),
    };
  }

  list(online: (aor: string) => boolean | null): Contact[] {
    return this.sql.all.all().map((row) => ({ ...row, online: online(row.aor) }));
  }

  /** The contact with this AOR (case of the domain and scheme ignored), for naming callers. */
  byAor(aor: string): ContactRow | undefined {
    return this.sql.byAor.get(aor);
  }

  /** Adds (no id) or changes a contact; one contact per address. Input already validated. */
  save(input: ContactInput): ContactRow {
    return this.store.write(() => {
      const same = this.sql.byAor.get(input.aor);
      if (same && same.id !== input.id) {
        throw new PhoneCommandError(
          PHONE_ERROR_CODES.duplicateContact,
          `${input.aor} is already in your contacts as "${same.name}"`,
        );
      }
      if (input.id === undefined) {
        const id = randomUUID();
        this.sql.insert.run(id, input.name, input.aor, Date.now());
        return { id, name: input.name, aor: input.aor };
      }
      if (this.sql.update.run(input.name, input.aor, input.id).changes === 0) throw noSuchContact();
      return { id: input.id, name: input.name, aor: input.aor };
    });
  }

  remove(id: string): void {
    if (this.sql.remove.run(id).changes === 0) throw noSuchContact();
  }
}

function noSuchContact(): PhoneCommandError {
  return new PhoneCommandError(
    PHONE_ERROR_CODES.noSuchContact,
    'That contact is not in your contacts any more (removed in another window?)',
  );
}
