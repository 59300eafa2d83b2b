import type { NetworkUser, NetworkUserInput, PhoneApi } from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';

/**
 * The accounts of the login server this phone hosts (a network it created): who may join. Each
 * command answers with the whole list; the core sends no event for it, since only this screen
 * changes it.
 */
export class AccountsState {
  users = $state.raw<NetworkUser[]>([]);
  error = $state<string | null>(null);
  busy = $state(false);

  #api: PhoneApi;

  constructor(api: PhoneApi) {
    this.#api = api;
  }

  load(): Promise<boolean> {
    return this.#run(() => this.#api.listUsers());
  }

  add(input: NetworkUserInput): Promise<boolean> {
    return this.#run(() => this.#api.addUser(input));
  }

  /** Removes the account; the login server revokes its certificate, so its calls are refused. */
  remove(user: string): Promise<boolean> {
    return this.#run(() => this.#api.removeUser(user));
  }

  async #run(command: () => Promise<NetworkUser[]>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.users = await command();
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
