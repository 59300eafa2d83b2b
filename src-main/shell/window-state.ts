/**
 * The main window's remembered size and place, in userData/window-state.json. Read tolerantly
 * (a missing, torn or hand-edited file gives the defaults), written atomically, and fitted to
 * the displays there are now: a window saved on a monitor since unplugged opens centred on one
 * that is there, never off screen.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../keystore/write-file-atomic.ts';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the window manager centre it. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_STATE: WindowState = { width: 1040, height: 720, maximized: false };
export const MIN_WINDOW_SIZE = { width: 720, height: 520 };

/** How much of the title bar must be on a display for the saved place to be kept. */
const GRAB = { width: 120, height: 40 };

export function parseWindowState(text: string | null): WindowState {
  if (text === null) return { ...DEFAULT_WINDOW_STATE };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_WINDOW_STATE };
  const r = raw as Record<string, unknown>;
  const size = (value: unknown, fallback: number, min: number) =>
    isInteger(value) && value >= min && value <= 100_000 ? value : fallback;
  const state: WindowState = {
    width: size(r.width, DEFAULT_WINDOW_STATE.width, MIN_WINDOW_SIZE.width),
    height: size(r.height, DEFAULT_WINDOW_STATE.height, MIN_WINDOW_SIZE.height),
    maximized: r.maximized === true,
  };
  if (isInteger(r.x) && isInteger(r.y) && Math.abs(r.x) <= 100_000 && Math.abs(r.y) <= 100_000) {
    state.x = r.x;
    state.y = r.y;
  }
  return state;
}

/**
 * Keeps the saved place only if the top of the window (where it is grabbed) lies on one of the
 * displays' work areas; shrinks the size to the largest work area.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (workAreas.length === 0) return state;
  const largest = workAreas.reduce((a, b) => (a.width * a.height >= b.width * b.height ? a : b));
  const fitted: WindowState = {
    width: Math.min(state.width, Math.max(largest.width, MIN_WINDOW_SIZE.width)),
    height: Math.min(state.height, Math.max(largest.height, MIN_WINDOW_SIZE.height)),
    maximized: state.maximized,
  };
  if (state.x === undefined || state.y === undefined) return fitted;
  const titleBar: Rectangle = { x: state.x, y: state.y, width: fitted.width, height: GRAB.height };
  const grabbable = workAreas.some((area) => {
    const overlap = intersection(titleBar, area);
    return (
      overlap !== null && overlap.width >= Math.min(GRAB.width, fitted.width) && overlap.height >= GRAB.height
    );
  });
  if (grabbable) {
    fitted.x = state.x;
    fitted.y = state.y;
  }
  return fitted;
}

/** What to save: the normal (unmaximised) bounds, so un-maximising restores them. */
export function stateToSave(normalBounds: Rectangle, maximized: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.round(normalBounds.width),
    height: Math.round(normalBounds.height),
    maximized,
  };
}

export async function loadWindowState(file: string): Promise<WindowState> {
  try {
    return parseWindowState(await readFile(file, 'utf8'));
  } catch {
    return parseWindowState(null);
  }
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function intersection(a: Rectangle, b: Rectangle): Rectangle | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}
