import type { PhoneApi } from '../../src-main/ipc/contract.ts';
import { AccountsState } from './accounts.svelte.ts';
import { CallsState } from './calls.svelte.ts';
import { ContactsState } from './contacts.svelte.ts';
import { HistoryState } from './history.svelte.ts';
import { IdentityState } from './identity.svelte.ts';
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
  readonly identity: IdentityState;
  readonly settings: SettingsState;
  readonly accounts: AccountsState;
  readonly navigation = new NavigationState();

  constructor(api: PhoneApi) {
    this.session = new SessionState(api);
    this.contacts = new ContactsState(api);
    this.calls = new CallsState(api);
    this.history = new HistoryState(api);
    this.ring = new RingState(api);
    this.identity = new IdentityState(api);
    this.settings = new SettingsState(api);
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
      this.identity.load(),
      this.settings.load(),
      // Only a phone that created its network has accounts to show; the core refuses the others.
      this.session.status?.network?.hosted ? this.accounts.load() : Promise.resolve(true),
    ]);
  }

  dispose(): void {
    for (const domain of [this.session, this.contacts, this.calls, this.history, this.ring, this.identity]) {
      domain.dispose();
    }
  }
}
