/**
 * The passphrase window's preload (sandboxed, one CommonJS file like the main one). The page
 * asks why it is shown, then answers once: a passphrase, or cancel.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { PASSPHRASE_CHANNELS, type PassphraseRequest } from '../ipc/electron-channels.ts';

contextBridge.exposeInMainWorld('chordlinePassphrase', {
  request: (): Promise<PassphraseRequest> => ipcRenderer.invoke(PASSPHRASE_CHANNELS.request),
  submit: (passphrase: string): Promise<void> =>
    ipcRenderer.invoke(PASSPHRASE_CHANNELS.submit, String(passphrase)),
  cancel: (): Promise<void> => ipcRenderer.invoke(PASSPHRASE_CHANNELS.cancel),
});
