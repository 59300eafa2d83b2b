/**
 * Main checks the sender of every IPC message (Electron's security checklist, item 17): a command
 * runs only when it comes from the main frame of our own window showing our own page. A subframe,
 * another window, a page navigated elsewhere or a frame already gone is refused.
 *
 * Typed by shape, not by Electron's classes, so the check is a plain function with a unit test.
 */
import { isAppUrl, type AppOrigin } from './app-url.ts';

/** The parts of a WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
  readonly parent: unknown;
  readonly detached?: boolean;
}

/** The parts of an IpcMainInvokeEvent the check reads. */
export interface IpcEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

/** Our window, as the check needs it. */
export interface TrustedWindow {
  readonly webContentsId: number;
  /** The window's current main frame (webContents.mainFrame). */
  readonly mainFrame: Pick<FrameLike, 'processId' | 'routingId'>;
  readonly origin: AppOrigin;
}

/** Why the sender is refused, or null when it is ours. */
export function senderRefusal(event: IpcEventLike, trusted: TrustedWindow | null): string | null {
  if (trusted === null) return 'no window is open';
  if (event.sender.id !== trusted.webContentsId) return 'the message comes from another window';
  const frame = event.senderFrame;
  if (frame === null || frame.detached === true) return 'the sending frame is gone';
  if (frame.parent !== null) return 'the message comes from a subframe';
  if (frame.processId !== trusted.mainFrame.processId || frame.routingId !== trusted.mainFrame.routingId) {
    return "the message does not come from the window's main frame";
  }
  if (!isAppUrl(frame.url, trusted.origin))
    return `the sending page is not Chordline's (${originOf(frame.url)})`;
  return null;
}

function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'an unreadable address';
  }
}
