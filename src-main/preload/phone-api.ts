/**
 * The renderer's `PhoneApi` over Electron IPC: one function per command, `on` for events. Built
 * from the contract's name lists, so a command added to the contract appears here by itself.
 *
 * MUST NOT hand the page anything of Electron's: no ipcRenderer, no IpcRendererEvent (its
 * `sender` is the ipcRenderer itself). Listeners get the payload alone.
 */
import {
  COMMAND_NAMES,
  EVENT_NAMES,
  type CommandName,
  type EventName,
  type PhoneApi,
  type PhoneError,
  type PhoneEvents,
} from '../ipc/contract.ts';
import { commandChannel, eventChannel, type CarrierReply } from '../ipc/electron-channels.ts';

/** The part of `ipcRenderer` the API uses (its own type, so this file is testable without Electron). */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  off(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createPhoneApi(ipc: RendererIpc): PhoneApi {
  const api: Record<string, unknown> = {};
  for (const name of COMMAND_NAMES) api[name] = command(ipc, name);
  api.on = <E extends EventName>(event: E, listener: (payload: PhoneEvents[E]) => void): (() => void) => {
    if (!(EVENT_NAMES as readonly string[]).includes(event)) {
      throw new TypeError(`no such event: ${String(event)}`);
    }
    if (typeof listener !== 'function') throw new TypeError('the listener must be a function');
    const channel = eventChannel(event);
    const relay = (_event: unknown, payload: unknown) => listener(payload as PhoneEvents[E]);
    ipc.on(channel, relay);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.off(channel, relay);
    };
  };
  // Every command name was assigned above, and `on`: the record is a PhoneApi.
  return api as PhoneApi;
}

function command(ipc: RendererIpc, name: CommandName) {
  const channel = commandChannel(name);
  // The contract: at most one argument. Extra ones are dropped here, not sent to be ignored.
  return async (...args: unknown[]): Promise<unknown> => {
    const reply = (await ipc.invoke(channel, ...args.slice(0, 1))) as CarrierReply<unknown>;
    if (reply.ok) return reply.value;
    // A plain object, not an Error: contextBridge copies only an Error's message across, and
    // the UI needs `code` too.
    throw { name: 'PhoneError', code: reply.error.code, message: reply.error.message } satisfies PhoneError;
  };
}
