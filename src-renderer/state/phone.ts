import type { PhoneApi } from '../../src-main/ipc/contract.ts';
import type { MediaEngine } from '../media/media-engine.ts';
import { AccountsState } from './accounts.svelte.ts';
import { CallsState } from './calls.svelte.ts';
import { ContactsState } from './contacts.svelte.ts';
import { DevicesState } from './devices.svelte.ts';
import { HistoryState } from './history.svelte.ts';
import { IdentityState } from './identity.svelte.ts';
import { LayersState } from './layers.svelte.ts';
import { MediaState } from './media.svelte.ts';
import { NavigationState } from './navigation.svelte.ts';
import { RingState } from './ring.svelte.ts';
import { SessionState } from './session.svelte.ts';
import { SettingsState } from './settings.svelte.ts';

/** Every domain's state, each on the same PhoneApi: what App.svelte hands its views. */
export class Phone {
  readonly session: SessionState;
  readonly contacts: ContactsState;
  readonly calls: CallsState;
  readonly history: HistoryState;
  readonly ring: RingState;
  readonly layers: LayersState;
  readonly identity: IdentityState;
  readonly settings: SettingsState;
  readonly accounts: AccountsState;
  readonly media: MediaState;
  readonly devices: DevicesState;
  readonly navigation = new NavigationState();
  readonly #offSaved: () => void;

  /** `engine`: the browser's WebRTC (webRtcEngine()), a test's fake, or null for calls without audio. */
  constructor(api: PhoneApi, engine: MediaEngine | null = null) {
    this.session = new SessionState(api);
    this.settings = new SettingsState(api);
    this.media = new MediaState(api, engine, () => this.settings.settings);
    this.devices = new DevicesState(engine);
    // A microphone or speaker chosen in Settings applies to the calls in progress too.
    this.#offSaved = this.settings.onSaved((settings) => this.media.chooseDevices(settings));
    this.contacts = new ContactsState(api);
    this.calls = new CallsState(api, this.media);
    this.history = new HistoryState(api);
    this.ring = new RingState(api);
    this.layers = new LayersState(api);
    this.identity = new IdentityState(api);
    this.accounts = new AccountsState(api);
  }

  /** Before the phone is ready, only its status and settings make sense to ask for. */
  async start(): Promise<void> {
    await Promise.all([this.session.load(), this.settings.load()]);
  }

  /** Once the phone is ready: everything the screens show. */
  async loadReady(): Promise<void> {
    await Promise.all([
      this.contacts.load(),
      this.calls.load(),
      this.history.load(),
      this.ring.load(),
      this.layers.load(),
      this.identity.load(),
      this.settings.load(),
      // Only a phone that created its network has accounts to show; the core refuses the others.
      this.session.status?.network?.hosted ? this.accounts.load() : Promise.resolve(true),
    ]);
  }

  dispose(): void {
    this.#offSaved();
    const domains = [
      this.session,
      this.contacts,
      this.calls,
      this.history,
      this.ring,
      this.layers,
      this.identity,
    ];
    for (const domain of [...domains, this.media, this.devices]) {
      domain.dispose();
    }
  }
}
