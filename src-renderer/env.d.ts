import type { PhoneApi } from '../src-main/ipc/contract.ts';

declare global {
  interface Window {
    /** Put there by the Electron preload (contextBridge); absent in browser mode. */
    chordline?: PhoneApi;
  }
}
