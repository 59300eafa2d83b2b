import type {
  AppStatus,
  CreateNetworkInput,
  JoinNetworkInput,
  PhoneApi,
} from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';

/**
 * The phone's life as the core reports it (AppStatus.phase), and the first-run commands:
 *
 *     welcome ──createNetwork / joinNetwork──▶ starting ──▶ ready
 *        ▲                                        │
 *        └──────────── set up again ◀──────── failed (problem says why)
 *
 * The core owns the phase; this class only mirrors it (appChanged) and remembers the last
 * refusal of a command, which the welcome screen shows in the core's own words.
 */
export class SessionState {
  status = $state.raw<AppStatus | null>(null);
  /** The last refusal of createNetwork or joinNetwork, for the person. */
  error = $state<string | null>(null);
  busy = $state(false);
  /**
   * The create or join this page asked for, while it runs. The core says 'starting' meanwhile;
   * the welcome screen stays up (its button says what is happening), so that a refusal such as
   * a wrong password finds the form as the person left it, not a fresh one.
   */
  settingUp = $state<'create' | 'join' | null>(null);
  phase = $derived(this.status?.phase ?? null);
  /** The AOR domain of this phone's network, to complete "bob" into sip:bob@DOMAIN. */
  domain = $derived(this.status?.network?.domain ?? null);

  #api: PhoneApi;
  #off: () => void;
  /** Counts appChanged events, so that a slow command's answer never overwrites newer news. */
  #news = 0;

  constructor(api: PhoneApi) {
    this.#api = api;
    this.#off = api.on('appChanged', (status) => {
      this.#news++;
      this.status = status;
    });
  }

  async load(): Promise<void> {
    await this.#run(() => this.#api.appStatus());
  }

  createNetwork(input: CreateNetworkInput): Promise<boolean> {
    return this.#setUp('create', () => this.#api.createNetwork(input));
  }

  joinNetwork(input: JoinNetworkInput): Promise<boolean> {
    return this.#setUp('join', () => this.#api.joinNetwork(input));
  }

  dispose(): void {
    this.#off();
  }

  async #setUp(kind: 'create' | 'join', command: () => Promise<AppStatus>): Promise<boolean> {
    this.settingUp = kind;
    try {
      return await this.#run(command);
    } finally {
      this.settingUp = null;
    }
  }

  async #run(command: () => Promise<AppStatus>): Promise<boolean> {
    const news = this.#news;
    this.busy = true;
    this.error = null;
    try {
      const status = await command();
      if (this.#news === news) this.status = status;
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
