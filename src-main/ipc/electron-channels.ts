/**
 * The Electron carrier's wire: the IPC channel names and the reply envelope, shared by the
 * preload (renderer side) and the shell (main side). Nothing else may name an Electron channel.
 *
 * Why an envelope: a rejection crossing `ipcMain.handle` reaches the renderer as a new Error whose
 * message is prefixed with "Error invoking remote method…" and whose other fields are gone, so the
 * `PhoneError.code` the UI branches on would be lost. The handler therefore always resolves, with
 * either the value or the PhoneError, and the preload turns the latter back into a rejection.
 */
import type { CommandName, EventName, PhoneError } from './contract.ts';

/** `chordline:command:dial`: one `ipcMain.handle` channel per command. */
export function commandChannel(name: CommandName): string {
  return `chordline:command:${name}`;
}

/** `chordline:event:callChanged`: one `webContents.send` channel per event. */
export function eventChannel(name: EventName): string {
  return `chordline:event:${name}`;
}

/** What every command channel resolves with. */
export type CarrierReply<T> = { ok: true; value: T } | { ok: false; error: PhoneError };

/**
 * The small window that asks for the key store's passphrase when the computer has no key ring
 * to seal it with (see src-main/shell/key-passphrase.ts). Its page learns why it is asked, then
 * answers once.
 */
export const PASSPHRASE_CHANNELS = {
  /** () => PassphraseRequest */
  request: 'chordline:passphrase:request',
  /** (passphrase: string) => void */
  submit: 'chordline:passphrase:submit',
  /** () => void */
  cancel: 'chordline:passphrase:cancel',
} as const;

export interface PassphraseRequest {
  /** 'new': the person chooses one (typed twice); 'unlock': the one chosen before. */
  reason: 'new' | 'unlock';
  /** The data folder whose key store it protects, so two phones side by side are told apart. */
  dataDir: string;
}
