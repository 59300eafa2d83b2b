/**
 * The application menu: the platform's usual items (so copy and paste work in every text field
 * on macOS) and a Call menu whose shortcuts answer, decline and hang up from anywhere in the
 * window, whatever has the focus. Accelerators are local to the app, not global hotkeys.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  answer: (() => void) | null;
  decline: (() => void) | null;
  hangUp: (() => void) | null;
  closeWindow(): void;
  quit(): void;
}

export const ACCELERATORS = {
  answer: 'CmdOrCtrl+Shift+A',
  decline: 'CmdOrCtrl+Shift+D',
  hangUp: 'CmdOrCtrl+Shift+H',
  closeWindow: 'CmdOrCtrl+W',
  quit: 'CmdOrCtrl+Q',
} as const;

export function menuTemplate(
  actions: MenuActions,
  options: { mac: boolean; developer: boolean },
): MenuItemConstructorOptions[] {
  const noop = () => {};
  const call: MenuItemConstructorOptions = {
    label: '&Call',
    submenu: [
      {
        label: 'Answer',
        accelerator: ACCELERATORS.answer,
        enabled: actions.answer !== null,
        click: actions.answer ?? noop,
      },
      {
        label: 'Decline',
        accelerator: ACCELERATORS.decline,
        enabled: actions.decline !== null,
        click: actions.decline ?? noop,
      },
      {
        label: 'Hang Up',
        accelerator: ACCELERATORS.hangUp,
        enabled: actions.hangUp !== null,
        click: actions.hangUp ?? noop,
      },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(options.developer
        ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  if (options.mac) {
    return [
      {
        label: 'Chordline',
        submenu: [
          { role: 'about' },
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          { label: 'Quit Chordline', accelerator: ACCELERATORS.quit, click: actions.quit },
        ],
      },
      { role: 'editMenu' },
      call,
      view,
      { role: 'windowMenu' },
    ];
  }
  return [
    {
      label: '&File',
      submenu: [
        { label: 'Close Window', accelerator: ACCELERATORS.closeWindow, click: actions.closeWindow },
        { label: 'Quit', accelerator: ACCELERATORS.quit, click: actions.quit },
      ],
    },
    { role: 'editMenu' },
    call,
    view,
  ];
}
