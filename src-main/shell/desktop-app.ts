/**
 * The Electron main process: the phone's core (opened through `openPhone`) inside one window, a
 * tray icon and OS notifications. Thin by design: every decision that can be made without
 * Electron lives in a pure module beside this one (data-dir, window-state, app-url,
 * sender-check, permission-policy, tray-status, call-book, key-passphrase) and is tested alone.
 *
 * Start order: data folder and userData (before anything reads them) → single-instance lock →
 * app scheme (before ready) → ready: session hardening → phone → IPC → tray → window.
 * Quit order: notifications → IPC → phone.stop() (leaves the ring) → tray → windows.
 */
import { join } from 'node:path';
import { app, dialog, ipcMain, Menu, nativeImage, session, type BrowserWindow } from 'electron';
import type { AppStatus, CallView } from '../ipc/contract.ts';
import { menuTemplate, type MenuActions } from './app-menu.ts';
import { registerAppScheme, serveAppScheme } from './app-protocol.ts';
import { APP_ENTRY_URL, APP_HOST, PROMPT_HOST, type AppOrigin } from './app-url.ts';
import { CallBook } from './call-book.ts';
import { contentSecurityPolicy } from './content-security-policy.ts';
import { chooseDataDir, type DataDirChoice } from './data-dir.ts';
import { IncomingCallNotifier } from './incoming-call-notifier.ts';
import { forwardEvents, serveCommands } from './ipc-carrier.ts';
import { keyPassphraseSource } from './key-passphrase.ts';
import { createMainWindow, revealWindow } from './main-window.ts';
import { askPassphraseInWindow } from './passphrase-window.ts';
import type { OpenPhone, RunningPhone } from './phone-port.ts';
import { safeStorageKeyring } from './safe-storage-keyring.ts';
import type { TrustedWindow } from './sender-check.ts';
import { guardAllWebContents, hardenSession } from './session-hardening.ts';
import { shellLog } from './shell-log.ts';
import { StatusTray } from './status-tray.ts';
import { trayStatus } from './tray-status.ts';
import { WINDOW_STATE_FILE } from './window-state.ts';

export const APP_ID = 'org.chordline.phone';
export const PRODUCT_NAME = 'Chordline';
/** How long Quit waits for the phone to stop (it gives leaving the ring 5 s itself) before closing anyway. */
const STOP_TIMEOUT_MS = 8_000;

export interface DesktopOptions {
  openPhone: OpenPhone;
  /** The folder holding out/ (main, preload, renderer) and resources/: the app itself, packaged or not. */
  appRoot: string;
}

export function startDesktop(options: DesktopOptions): void {
  let choice: DataDirChoice;
  try {
    choice = chooseDataDir({
      argv: process.argv,
      env: process.env,
      cwd: process.cwd(),
      // Named explicitly: in development package.json's lowercase "name" would be used instead.
      userData: join(app.getPath('appData'), PRODUCT_NAME),
    });
  } catch (error) {
    process.stderr.write(`chordline: ${(error as Error).message}\n`);
    app.exit(2);
    return;
  }
  app.setPath('userData', choice.userData ?? join(app.getPath('appData'), PRODUCT_NAME));

  // A second launch on the same folder hands over to the first (its 'second-instance') and ends.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  registerAppScheme();
  // The electron-vite dev server, in development only: a packaged app never loads http.
  const devServer = app.isPackaged ? null : (process.env.ELECTRON_RENDERER_URL ?? null);
  const appOrigin: AppOrigin = { host: APP_HOST, devServer };
  guardAllWebContents([appOrigin, { host: PROMPT_HOST }]);

  const desktop = new Desktop(options.openPhone, options.appRoot, choice.dataDir, appOrigin);
  app.on('second-instance', () => desktop.reveal());
  app.on('activate', () => desktop.reveal());
  // Closing the window puts it away: the phone stays up until Quit.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => desktop.beforeQuit(event));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(() => desktop.start())
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      shellLog('start-failed', { error: message });
      dialog.showErrorBox('Chordline could not start', message);
      app.exit(1);
    });
}

class Desktop {
  private phone: RunningPhone | null = null;
  private window: BrowserWindow | null = null;
  private tray: StatusTray | null = null;
  private notifier: IncomingCallNotifier | null = null;
  private status: AppStatus | null = null;
  private readonly calls = new CallBook();
  private readonly disposers: Array<() => void> = [];
  private quitting = false;
  private stopped = false;

  constructor(
    private readonly openPhone: OpenPhone,
    private readonly appRoot: string,
    private readonly dataDir: string,
    private readonly origin: AppOrigin,
  ) {}

  async start(): Promise<void> {
    const preloadDir = join(this.appRoot, 'out', 'preload');
    const resourcesDir = join(this.appRoot, 'resources');
    const iconPath = join(resourcesDir, 'icon.png');
    const csp = contentSecurityPolicy({ devServer: this.origin.devServer });

    hardenSession(session.defaultSession, this.origin, csp);
    serveAppScheme(
      session.defaultSession,
      { [APP_HOST]: join(this.appRoot, 'out', 'renderer'), [PROMPT_HOST]: join(resourcesDir, 'prompt') },
      csp,
    );
    Menu.setApplicationMenu(null);

    shellLog('opening-phone', { dataDir: this.dataDir });
    const phone = await this.openPhone({
      dataDir: this.dataDir,
      mode: 'electron',
      keyPassphrase: keyPassphraseSource({
        dataDir: this.dataDir,
        keyring: safeStorageKeyring,
        env: process.env,
        ask: (request) =>
          askPassphraseInWindow(request, { preload: join(preloadDir, 'passphrase.cjs'), icon: iconPath }),
      }),
    });
    if (this.quitting) {
      // Quit was chosen while the phone opened (a passphrase window, say): shutdown() ran without it.
      await phone.stop();
      return;
    }
    this.phone = phone;

    this.disposers.push(
      serveCommands(ipcMain, phone, () => this.trusted()),
      forwardEvents(phone, () =>
        this.window && !this.window.isDestroyed() ? this.window.webContents : null,
      ),
      phone.on('appChanged', (status) => {
        this.status = status;
        this.refresh();
      }),
      phone.on('callChanged', (call) => this.callChanged(call)),
    );
    this.status = await phone.invoke('appStatus');
    this.calls.reset(await phone.invoke('listCalls'));
    const settings = await phone.invoke('getSettings').catch(() => null);

    this.notifier = new IncomingCallNotifier(() => this.reveal(), nativeImage.createFromPath(iconPath));
    this.tray = new StatusTray(join(resourcesDir, 'tray'), () => this.reveal());
    this.refresh();

    this.window = await createMainWindow({
      preload: join(preloadDir, 'index.cjs'),
      url: this.origin.devServer ?? APP_ENTRY_URL,
      stateFile: join(app.getPath('userData'), WINDOW_STATE_FILE),
      icon: iconPath,
      startMinimised: settings?.startMinimised === true,
      putAway: process.platform === 'linux' ? 'taskbar' : 'tray',
      keepOnClose: () => !this.quitting,
    });
    shellLog('ready', { dataDir: this.dataDir, minimised: settings?.startMinimised === true });
  }

  reveal(): void {
    revealWindow(this.window);
  }

  beforeQuit(event: Electron.Event): void {
    if (this.stopped) return;
    event.preventDefault();
    if (this.quitting) return;
    this.quitting = true;
    this.shutdown()
      .catch((error: unknown) => shellLog('stop-failed', { error: String(error) }))
      .finally(() => {
        this.stopped = true;
        app.quit();
      });
  }

  private async shutdown(): Promise<void> {
    this.notifier?.closeAll();
    for (const dispose of this.disposers.splice(0)) dispose();
    if (this.phone) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
      });
      const outcome = await Promise.race([this.phone.stop().then(() => 'stopped' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') shellLog('stop-timed-out', { ms: STOP_TIMEOUT_MS });
    }
    this.tray?.destroy();
  }

  private trusted(): TrustedWindow | null {
    const window = this.window;
    if (window === null || window.isDestroyed()) return null;
    return {
      webContentsId: window.webContents.id,
      mainFrame: window.webContents.mainFrame,
      origin: this.origin,
    };
  }

  private callChanged(call: CallView): void {
    this.calls.update(call);
    this.notifier?.update(call);
    const window = this.window;
    if (window && !window.isDestroyed()) {
      const ringing = call.direction === 'incoming' && call.state === 'ringing';
      window.flashFrame(ringing && !window.isFocused());
    }
    this.refresh();
  }

  /** Redraws the tray and the menu from the phone's state and the calls in progress. */
  private refresh(): void {
    const ringing = this.calls.ringing();
    const current = this.calls.current();
    const act = (command: 'answer' | 'decline' | 'hangup', call: CallView | null) =>
      call === null
        ? null
        : () => {
            if (command === 'answer') this.reveal();
            this.phone
              ?.invoke(command, call.id)
              .catch((error: unknown) => shellLog('call-action-failed', { command, error: String(error) }));
          };
    const actions: MenuActions = {
      answer: act('answer', ringing),
      decline: act('decline', ringing),
      hangUp: act('hangup', current),
      closeWindow: () => this.window?.close(),
      quit: () => app.quit(),
    };
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(actions, { mac: process.platform === 'darwin', developer: !app.isPackaged }),
      ),
    );
    this.tray?.update(trayStatus(this.status, this.calls.list()), { ...actions, show: () => this.reveal() });
  }
}
