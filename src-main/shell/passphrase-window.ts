/**
 * The small window that asks for the key store's passphrase when no key ring can keep it (see
 * key-passphrase.ts). Its page is resources/prompt/passphrase.html, served as
 * chordline://prompt/…, with its own sandboxed preload (src-main/preload/passphrase.ts); its IPC
 * handlers exist only while it is open and answer only its main frame.
 */
import { BrowserWindow, ipcMain } from 'electron';
import { PASSPHRASE_CHANNELS, type PassphraseRequest } from '../ipc/electron-channels.ts';
import { PROMPT_ENTRY_URL, PROMPT_HOST } from './app-url.ts';
import { senderRefusal, type IpcEventLike } from './sender-check.ts';
import { shellLog } from './shell-log.ts';

export interface PassphraseWindowOptions {
  preload: string;
  icon?: string;
}

export function askPassphraseInWindow(
  request: PassphraseRequest,
  options: PassphraseWindowOptions,
): Promise<string | null> {
  return new Promise((resolve) => {
    const window = new BrowserWindow({
      width: 440,
      height: request.reason === 'new' ? 360 : 280,
      useContentSize: true,
      resizable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      title: 'Chordline: passphrase',
      icon: options.icon,
      show: false,
      webPreferences: {
        preload: options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    window.setMenuBarVisibility(false);

    let answered = false;
    const finish = (answer: string | null) => {
      if (answered) return;
      answered = true;
      for (const channel of Object.values(PASSPHRASE_CHANNELS)) ipcMain.removeHandler(channel);
      if (!window.isDestroyed()) window.destroy();
      resolve(answer);
    };
    const fromPrompt = (event: IpcEventLike): boolean => {
      const reason = senderRefusal(
        event,
        window.isDestroyed()
          ? null
          : {
              webContentsId: window.webContents.id,
              mainFrame: window.webContents.mainFrame,
              origin: { host: PROMPT_HOST },
            },
      );
      if (reason !== null) shellLog('ipc-refused', { channel: 'passphrase', reason });
      return reason === null;
    };

    ipcMain.handle(PASSPHRASE_CHANNELS.request, (event) => (fromPrompt(event) ? request : null));
    ipcMain.handle(PASSPHRASE_CHANNELS.submit, (event, passphrase: unknown) => {
      if (fromPrompt(event) && typeof passphrase === 'string' && passphrase !== '') finish(passphrase);
    });
    ipcMain.handle(PASSPHRASE_CHANNELS.cancel, (event) => {
      if (fromPrompt(event)) finish(null);
    });
    window.on('closed', () => finish(null));
    window.once('ready-to-show', () => window.show());
    window.loadURL(PROMPT_ENTRY_URL).catch((error: unknown) => {
      shellLog('passphrase-window-failed', { error: String(error) });
      finish(null);
    });
  });
}
