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

  /** Saves the changed fields; the core answers with the settings as it now holds them. */
  async save(changes: Partial<Settings>): Promise<boolean> {
    this.saving = true;
    this.error = null;
    try {
      this.settings = await this.#api.saveSettings(changes);
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    } finally {
      this.saving = false;
    }
  }
}
