/**
 * The Electron carrier of the ipc contract, main side: one `ipcMain.handle` per command, each
 * checking its sender before the phone sees the call, and every PhoneService event sent on to
 * the window. The preload (src-main/preload/phone-api.ts) is the other half.
 */
import type { IpcMain, WebContents } from 'electron';
import { COMMAND_NAMES, EVENT_NAMES, type CommandName, type PhoneService } from '../ipc/contract.ts';
import { commandChannel, eventChannel } from '../ipc/electron-channels.ts';
import { refusal, replyOf } from './phone-reply.ts';
import { senderRefusal, type TrustedWindow } from './sender-check.ts';
import { shellLog } from './shell-log.ts';

/** Registers the command handlers; returns what removes them. */
export function serveCommands(
  ipcMain: IpcMain,
  phone: PhoneService,
  trusted: () => TrustedWindow | null,
): () => void {
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(commandChannel(name), async (event, ...args: unknown[]) => {
      const reason = senderRefusal(event, trusted());
      if (reason !== null) {
        shellLog('ipc-refused', { command: name, reason });
        return refusal(reason);
      }
      // The core validates the argument itself (the contract: the UI is not trusted).
      return replyOf(() => invoke(phone, name, args[0]));
    });
  }
  return () => {
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(commandChannel(name));
  };
}

/** Forwards every event to the window's page while it exists; returns the unsubscribe. */
export function forwardEvents(phone: PhoneService, target: () => WebContents | null): () => void {
  const unsubscribes = EVENT_NAMES.map((name) =>
    phone.on(name, (payload) => {
      const contents = target();
      if (contents !== null && !contents.isDestroyed()) contents.send(eventChannel(name), payload);
    }),
  );
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}

function invoke(phone: PhoneService, name: CommandName, argument: unknown): Promise<unknown> {
  // The argument's type is the core's to check: the invoke signature cannot express "one of the
  // nineteen argument types, chosen by name" for a value that arrived over IPC.
  const call = phone.invoke as (name: CommandName, ...args: unknown[]) => Promise<unknown>;
  return argument === undefined ? call.call(phone, name) : call.call(phone, name, argument);
}
