/**
 * The tray icon: the phone's state at a glance (ready, offline, in a call), a click to show the
 * window, and a menu with the same actions as the Call menu.
 */
import { join } from 'node:path';
import { Menu, nativeImage, Tray, type NativeImage } from 'electron';
import type { TrayKind, TrayStatus } from './tray-status.ts';

export interface TrayActions {
  show(): void;
  answer: (() => void) | null;
  decline: (() => void) | null;
  hangUp: (() => void) | null;
  quit(): void;
}

export class StatusTray {
  private readonly tray: Tray;
  private readonly icons: Record<TrayKind, NativeImage>;
  private shown: string | null = null;

  /** `iconDir` holds ready.png, offline.png, in-call.png (and their @2x versions). */
  constructor(iconDir: string, onClick: () => void) {
    const load = (kind: TrayKind) => nativeImage.createFromPath(join(iconDir, `${kind}.png`));
    this.icons = { ready: load('ready'), offline: load('offline'), 'in-call': load('in-call') };
    this.tray = new Tray(this.icons.offline);
    // Windows and most Linux trays: a click shows the window. macOS opens the menu instead.
    this.tray.on('click', onClick);
  }

  update(status: TrayStatus, actions: TrayActions): void {
    const key = JSON.stringify([status, !!actions.answer, !!actions.decline, !!actions.hangUp]);
    if (key === this.shown) return;
    this.shown = key;
    this.tray.setImage(this.icons[status.kind]);
    this.tray.setToolTip(status.tooltip);
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: status.tooltip.replace(/^Chordline: /, ''), enabled: false },
        { type: 'separator' },
        { label: 'Show Chordline', click: actions.show },
        ...(actions.answer ? [{ label: 'Answer', click: actions.answer }] : []),
        ...(actions.decline ? [{ label: 'Decline', click: actions.decline }] : []),
        ...(actions.hangUp ? [{ label: 'Hang Up', click: actions.hangUp }] : []),
        { type: 'separator' },
        { label: 'Quit Chordline', click: actions.quit },
      ]),
    );
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }
}
