/**
 * The phone's window: sandboxed, isolated, its size and place remembered. Closing it does not
 * end the app (a phone must keep ringing); only Quit does. Where it goes instead depends on the
 * desktop: into the tray on Windows and macOS (the dock brings it back there), minimised on
 * Linux, where stock GNOME shows no tray icons and a hidden window could not be found again.
 */
import { BrowserWindow, screen } from 'electron';
import {
  fitToDisplays,
  loadWindowState,
  MIN_WINDOW_SIZE,
  saveWindowState,
  stateToSave,
  type WindowState,
} from './window-state.ts';
import { shellLog } from './shell-log.ts';

export interface MainWindowOptions {
  preload: string;
  url: string;
  stateFile: string;
  icon?: string;
  /** Start minimised: false shows the window as soon as its page is drawn. */
  startMinimised: boolean;
  /** 'tray' hides the window (Windows, macOS); 'taskbar' minimises it (Linux). */
  putAway: 'tray' | 'taskbar';
  /** Whether closing should put the window away rather than close it (false while quitting). */
  keepOnClose: () => boolean;
}

export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const saved = fitToDisplays(
    await loadWindowState(options.stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    x: saved.x,
    y: saved.y,
    width: saved.width,
    height: saved.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Chordline',
    icon: options.icon,
    show: false,
    autoHideMenuBar: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  if (saved.maximized) window.maximize();

  let lastState: WindowState = stateToSave(window.getNormalBounds(), window.isMaximized());
  let saveTimer: NodeJS.Timeout | null = null;
  const persist = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    saveWindowState(options.stateFile, lastState).catch((error: unknown) =>
      shellLog('window-state-not-saved', { error: String(error) }),
    );
  };
  // Resizing fires dozens of events a second: remember the latest, write once it settles.
  const remember = () => {
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    lastState = stateToSave(window.getNormalBounds(), window.isMaximized());
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(persist, 500);
  };
  window.on('resize', remember);
  window.on('move', remember);
  window.on('maximize', remember);
  window.on('unmaximize', remember);

  window.on('close', (event) => {
    remember();
    persist();
    if (options.keepOnClose()) {
      event.preventDefault();
      if (options.putAway === 'tray') window.hide();
      else window.minimize();
    }
  });
  window.once('ready-to-show', () => {
    if (!options.startMinimised) window.show();
    else if (options.putAway === 'taskbar') {
      // A window never shown cannot be minimised: show it without focus first.
      window.showInactive();
      window.minimize();
    }
  });

  await window.loadURL(options.url);
  return window;
}

/** Brings the window to the front (a second launch, a tray click, a notification click). */
export function revealWindow(window: BrowserWindow | null): void {
  if (window === null || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
