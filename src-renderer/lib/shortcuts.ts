import { VIEWS, type ViewName } from './views.ts';

/** What a key press asks of the phone. */
export type ShortcutAction = { kind: 'go'; view: ViewName } | { kind: 'end-call' };

type KeyPress = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/**
 * The phone's keyboard shortcuts. Ctrl (Cmd on macOS) with a view's key opens it, Ctrl+D the
 * dial pad as in most softphones; Escape declines a ringing call or hangs up the current one.
 * Enter needs no entry here: it submits the form it is typed in (call, save, accept).
 */
export function shortcutFor(press: KeyPress): ShortcutAction | null {
  const mod = press.ctrlKey || press.metaKey;
  if (press.key === 'Escape' && !mod && !press.altKey && !press.shiftKey) return { kind: 'end-call' };
  if (!mod || press.altKey || press.shiftKey) return null;
  if (press.key.toLowerCase() === 'd') return { kind: 'go', view: 'dial' };
  const view = VIEWS.find((v) => v.key === press.key);
  return view ? { kind: 'go', view: view.name } : null;
}

/** The same shortcuts, written for people (the settings screen lists them). */
export const SHORTCUT_HELP: ReadonlyArray<{ keys: string; what: string }> = [
  { keys: 'Ctrl+D', what: 'Open the dial pad' },
  ...VIEWS.map((v) => ({ keys: `Ctrl+${v.key}`, what: `Open ${v.label.toLowerCase()}` })),
  { keys: 'Enter', what: 'Call the address typed, accept a ringing call when focused' },
  { keys: 'Escape', what: 'Decline a ringing call, or hang up' },
];

/** `aria-keyshortcuts` value for a view's shortcut. */
export function ariaShortcut(key: string): string {
  return `Control+${key === ',' ? 'Comma' : key}`;
}
