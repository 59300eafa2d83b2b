import type { Settings } from '../ipc/contract.ts';
import { checkSettings } from '../ipc/validate.ts';
import type { PhoneDatabase } from './phone-database.ts';

export const DEFAULT_SETTINGS: Settings = {
  sipPort: 0,
  ringtone: 'classic',
  startMinimised: false,
  refreshSeconds: 60,
  theme: 'system',
  microphoneId: '',
  speakerId: '',
  iceServers: [],
};

/**
 * The person's settings, one row per setting (JSON values), so that a newer version adding a
 * setting needs no migration and an older one ignores what it does not know.
 */
export class SettingsStore {
  private readonly sql;

  constructor(private readonly store: PhoneDatabase) {
    const { db } = store;
    this.sql = {
      all: db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings'),
      put: db.prepare<[string, string]>(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  /** The stored settings over the defaults; a stored value that no longer checks out is ignored. */
  get(): Settings {
    const settings: Settings = { ...DEFAULT_SETTINGS };
    for (const { key, value } of this.sql.all.all()) {
      if (!(key in DEFAULT_SETTINGS)) continue;
      try {
        Object.assign(settings, checkSettings({ [key]: JSON.parse(value) }));
      } catch {
        // An edited or damaged value: the default serves better than refusing to start.
      }
    }
    return settings;
  }

  /** Input already validated. */
  save(changes: Partial<Settings>): Settings {
    this.store.write(() => {
      for (const [key, value] of Object.entries(changes)) {
        if (value !== undefined) this.sql.put.run(key, JSON.stringify(value));
      }
    });
    return this.get();
  }
}
