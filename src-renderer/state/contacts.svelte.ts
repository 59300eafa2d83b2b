import type { Contact, ContactInput, PhoneApi } from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';

/** The address book (persisted by the core) with each contact's presence in the overlay. */
export class ContactsState {
  list = $state.raw<Contact[]>([]);
  /** Why the last load, save or removal failed. */
  error = $state<string | null>(null);
  sorted = $derived([...this.list].sort((a, b) => a.name.localeCompare(b.name)));

  #api: PhoneApi;
  #off: () => void;

  constructor(api: PhoneApi) {
    this.#api = api;
    this.#off = api.on('contactsChanged', (contacts) => {
      this.list = contacts;
    });
  }

  async load(): Promise<void> {
    try {
      this.list = await this.#api.listContacts();
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** Adds (no id) or edits a contact; the saved contact, or null with `error` set. */
  async save(input: ContactInput): Promise<Contact | null> {
    this.error = null;
    try {
      const saved = await this.#api.saveContact(input);
      this.list = [...this.list.filter((c) => c.id !== saved.id), saved];
      return saved;
    } catch (error) {
      this.error = errorText(error);
      return null;
    }
  }

  async remove(id: string): Promise<boolean> {
    this.error = null;
    try {
      await this.#api.removeContact(id);
      this.list = this.list.filter((c) => c.id !== id);
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    }
  }

  /** The contact with this address, if any. */
  byAor(aor: string): Contact | undefined {
    return this.list.find((c) => c.aor === aor);
  }

  dispose(): void {
    this.#off();
  }
}
