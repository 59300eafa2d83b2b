import type { PhoneApi, Settings } from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';

/** The phone's settings, kept by the core (getSettings, saveSettings). */
export class SettingsState {
  settings = $state.raw<Settings | null>(null);
  error = $state<string | null>(null);
  saving = $state(false);
  /** The theme to paint with until the settings have loaded: the system's. */
  theme = $derived(this.settings?.theme ?? 'system');

  #api: PhoneApi;
  // Listeners, not state: nothing renders from this set.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #saved = new Set<(settings: Settings) => void>();

  constructor(api: PhoneApi) {
    this.#api = api;
  }

  async load(): Promise<void> {
    try {
      this.settings = await this.#api.getSettings();
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** Called with the settings as the core holds them after each save. Returns its unsubscribe function. */
  onSaved(listener: (settings: Settings) => void): () => void {
    this.#saved.add(listener);
    return () => void this.#saved.delete(listener);
  }

  /** Saves the changed fields; the core answers with the settings as it now holds them. */
  async save(changes: Partial<Settings>): Promise<boolean> {
    this.saving = true;
    this.error = null;
    try {
      const settings = await this.#api.saveSettings(changes);
      this.settings = settings;
      for (const listener of this.#saved) listener(settings);
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    } finally {
      this.saving = false;
    }
  }
}
