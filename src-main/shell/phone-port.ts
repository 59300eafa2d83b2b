/**
 * What the shell needs of the phone's core (src-main/phone/), and nothing more: open it for a
 * data folder, talk to it as a PhoneService, stop it. The entry (src-main/index.ts) passes in
 * PhoneCore.open; the shell never constructs the core itself.
 */
import type { PhoneService } from '../ipc/contract.ts';

export interface PhoneOpenOptions {
  dataDir: string;
  mode: 'electron' | 'browser';
  /** Asked when the key store is created or opened; may ask the person. */
  keyPassphrase: () => Promise<string>;
  host?: string;
  sipPort?: number;
}

export interface RunningPhone extends PhoneService {
  /** Leaves the ring gracefully and closes everything; safe to call twice. */
  stop(): Promise<void>;
}

export type OpenPhone = (options: PhoneOpenOptions) => Promise<RunningPhone>;
