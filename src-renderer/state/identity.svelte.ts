import type { IdentityView, PhoneApi } from '../../src-main/ipc/contract.ts';
import { errorText } from '../lib/error-text.ts';
import { readFileBase64 } from '../lib/read-file-base64.ts';
import { saveFile } from '../lib/save-file.ts';

/** This phone's certificate, and moving it to and from files (PKCS#12, PEM). */
export class IdentityState {
  identity = $state.raw<IdentityView | null>(null);
  error = $state<string | null>(null);
  /** What the last export or import did, for the person. */
  notice = $state<string | null>(null);
  busy = $state(false);

  #api: PhoneApi;
  #off: () => void;

  constructor(api: PhoneApi) {
    this.#api = api;
    this.#off = api.on('appChanged', (status) => {
      this.identity = status.identity;
    });
  }

  async load(): Promise<void> {
    await this.#run(async () => {
      this.identity = (await this.#api.appStatus()).identity;
    });
  }

  /** Exports certificate and private key as PKCS#12, protected by `password`, and saves it. */
  exportPkcs12(password: string): Promise<boolean> {
    return this.#run(async () => {
      const file = await this.#api.exportPkcs12({ password });
      saveFile(file);
      this.notice = `Saved ${file.fileName}. It holds your private key: keep it and its password apart.`;
    });
  }

  /** Exports the certificate and its chain (no private key) as PEM, and saves it. */
  exportPem(): Promise<boolean> {
    return this.#run(async () => {
      const file = await this.#api.exportPem();
      saveFile(file);
      this.notice = `Saved ${file.fileName}.`;
    });
  }

  /** Replaces this phone's identity with the one in a PKCS#12 file. */
  importPkcs12(file: Blob, password: string): Promise<boolean> {
    return this.#run(async () => {
      const base64 = await readFileBase64(file);
      this.identity = await this.#api.importPkcs12({ base64, password });
      this.notice = `Imported the identity of ${this.identity.aor}.`;
    });
  }

  dispose(): void {
    this.#off();
  }

  async #run(task: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    this.notice = null;
    try {
      await task();
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
