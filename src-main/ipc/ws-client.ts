/**
 * The browser-mode carrier, UI side: a `PhoneApi` over one WebSocket to the phone's core
 * (src-main/web/). Only the browser's WebSocket API is used, so the renderer bundles this file
 * as it is; Node tests pass the `ws` package's WebSocket as `Socket`.
 *
 * Frames (JSON text):
 *   UI → core   { id, command, arg }          one per call; `arg` absent for commands without one
 *   core → UI   { id, result } | { id, error } the answer; `error` is a PhoneError
 *   core → UI   { event, payload }            news, to every connected UI
 *
 * The connection comes back by itself (backoff from 250 ms to 5 s) when the core restarts or the
 * network blips. A call made while it is down waits for it (up to `requestWaitMs`); a call in
 * flight when it drops is rejected with 'disconnected', since the core may or may not have run
 * it. Listeners stay registered across reconnections, and the core sends `appChanged` to each
 * new connection so that the UI catches up.
 */
import { COMMAND_NAMES } from './contract.ts';
import type { CommandName, EventName, PhoneApi, PhoneEvents } from './contract.ts';
import { isPhoneError, PHONE_ERROR_CODES, PhoneCommandError } from './phone-error.ts';

/** The part of the browser's WebSocket this client uses (the `ws` package has the same). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketConstructor = new (url: string) => SocketLike;

export interface ConnectOptions {
  /** The WebSocket class; default the browser's. */
  Socket?: SocketConstructor;
  /** How long the first connection may take before `connectPhone` gives up. Default 10 s. */
  connectTimeoutMs?: number;
  /** How long a call made while disconnected waits for the connection. Default 10 s. */
  requestWaitMs?: number;
}

/** A PhoneApi, plus what only a network connection has. */
export type PhoneConnection = PhoneApi & {
  readonly connected: boolean;
  /** Called with true when the core is reachable again, false when the connection dropped. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  /** Closes for good: pending calls reject, no reconnection. */
  close(): void;
};

const OPEN = 1;
const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** The URL of the core's WebSocket for a page served by browser mode (the token comes from the page's own URL). */
export function ipcUrlFor(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ipc${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export function connectPhone(url: string, options: ConnectOptions = {}): Promise<PhoneConnection> {
  const Socket = options.Socket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
  if (!Socket) return Promise.reject(new Error('This browser has no WebSocket'));
  const client = new Client(url, Socket, options.requestWaitMs ?? 10_000);
  return client.firstConnection(options.connectTimeoutMs ?? 10_000).then(() => client.api());
}

class Client {
  private socket: SocketLike | undefined;
  private nextId = 1;
  private backoff = MIN_BACKOFF_MS;
  private closed = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  /** Calls waiting for the connection to come back. */
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly url: string,
    private readonly Socket: SocketConstructor,
    private readonly requestWaitMs: number,
  ) {
    this.open();
  }

  get connected(): boolean {
    return this.socket?.readyState === OPEN;
  }

  firstConnection(timeoutMs: number): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(ready);
        this.close();
        reject(
          new PhoneCommandError(
            PHONE_ERROR_CODES.disconnected,
            'Cannot reach the phone: is "chordline start" still running? Start it again and open the address it prints.',
          ),
        );
      }, timeoutMs);
      const ready = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiting.add(ready);
    });
  }

  api(): PhoneConnection {
    const api: Record<string, unknown> = {};
    for (const name of COMMAND_NAMES) {
      api[name] = (...args: unknown[]) => this.request(name, args[0]);
    }
    Object.defineProperty(api, 'connected', { get: () => this.connected, enumerable: true });
    api.on = <E extends EventName>(event: E, listener: (payload: PhoneEvents[E]) => void) => {
      let set = this.listeners.get(event);
      if (!set) this.listeners.set(event, (set = new Set()));
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => void set.delete(entry);
    };
    api.onConnectionChange = (listener: (connected: boolean) => void) => {
      this.connectionListeners.add(listener);
      return () => void this.connectionListeners.delete(listener);
    };
    api.close = () => this.close();
    return api as unknown as PhoneConnection;
  }

  private async request(command: CommandName, arg: unknown): Promise<unknown> {
    if (!this.connected) await this.waitForConnection();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.socket!.send(JSON.stringify(arg === undefined ? { id, command } : { id, command, arg }));
      } catch (error) {
        this.pending.delete(id);
        reject(disconnected(`The phone could not be asked: ${(error as Error).message}`));
      }
    });
  }

  private waitForConnection(): Promise<void> {
    if (this.closed) return Promise.reject(disconnected('The connection to the phone was closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(ready);
        reject(disconnected('The phone is not reachable right now: is "chordline start" still running?'));
      }, this.requestWaitMs);
      const ready = () => {
        clearTimeout(timer);
        if (this.closed) reject(disconnected('The connection to the phone was closed'));
        else resolve();
      };
      this.waiting.add(ready);
    });
  }

  private open(): void {
    if (this.closed) return;
    let socket: SocketLike;
    try {
      socket = new this.Socket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.backoff = MIN_BACKOFF_MS;
      this.wakeWaiting();
      this.announce(true);
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => undefined; // onclose follows and says what to do
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      const wasPending = [...this.pending.values()];
      this.pending.clear();
      for (const p of wasPending) {
        p.reject(disconnected('The connection to the phone dropped before it answered; try again'));
      }
      this.announce(false);
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.open(), this.backoff);
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return; // the core only sends JSON; anything else is not for us
    }
    if (typeof frame !== 'object' || frame === null) return;
    if (typeof frame.event === 'string') {
      for (const listener of this.listeners.get(frame.event as EventName) ?? []) {
        try {
          listener(frame.payload as never);
        } catch (error) {
          // One broken listener must not starve the others; the browser's console shows it.
          setTimeout(() => {
            throw error;
          });
        }
      }
      return;
    }
    const pending = typeof frame.id === 'number' ? this.pending.get(frame.id) : undefined;
    if (!pending) return;
    this.pending.delete(frame.id as number);
    if ('error' in frame) {
      const error = frame.error;
      pending.reject(
        isPhoneError(error)
          ? new PhoneCommandError(error.code, error.message)
          : new PhoneCommandError(PHONE_ERROR_CODES.internal, 'The phone failed without saying why'),
      );
    } else {
      pending.resolve(frame.result);
    }
  }

  private wakeWaiting(): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const wake of waiting) wake();
  }

  private announce(connected: boolean): void {
    for (const listener of this.connectionListeners) {
      try {
        listener(connected);
      } catch {
        // the UI's problem; the connection goes on
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'closed by the app');
    for (const p of this.pending.values()) p.reject(disconnected('The connection to the phone was closed'));
    this.pending.clear();
    this.wakeWaiting();
  }
}

function disconnected(message: string): PhoneCommandError {
  return new PhoneCommandError(PHONE_ERROR_CODES.disconnected, message);
}
