import { vi, type Mock } from 'vitest';
import { COMMAND_NAMES } from '../../src-main/ipc/contract.ts';
import type { CommandName, EventName, PhoneApi, PhoneEvents } from '../../src-main/ipc/contract.ts';
import * as fixtures from './fixtures.ts';

type Commands = Omit<PhoneApi, 'on'>;
type FakeCommands = { [K in CommandName]: Mock<Commands[K]> };

/** A PhoneApi whose commands are spies (answering with Alice's ready phone) and whose events a test emits. */
export type FakePhone = PhoneApi &
  FakeCommands & {
    emit<E extends EventName>(event: E, payload: PhoneEvents[E]): void;
    /** How many listeners are registered for `event` (to check unsubscription). */
    listenerCount(event: EventName): number;
  };

const DEFAULTS: Commands = {
  appStatus: async () => fixtures.status(),
  createNetwork: async () => fixtures.status({ phase: 'starting' }),
  joinNetwork: async () => fixtures.status({ phase: 'starting' }),
  listContacts: async () => [],
  saveContact: async (input) => ({ id: input.id ?? 'c-new', name: input.name, aor: input.aor, online: null }),
  removeContact: async () => undefined,
  dial: async (input) =>
    fixtures.call({
      id: 'call-out',
      direction: 'outgoing',
      state: 'calling',
      peer: typeof input === 'string' ? input : input.aor,
      peerName: null,
    }),
  answer: async () => undefined,
  decline: async () => undefined,
  hangup: async () => undefined,
  listCalls: async () => [],
  updateMedia: async (input) => ({ sdp: input.sdp }),
  answerMedia: async () => undefined,
  listHistory: async () => [],
  clearHistory: async () => undefined,
  ringState: async () => fixtures.ring(),
  exportPkcs12: async () => ({ fileName: 'alice.p12', mimeType: 'application/x-pkcs12', base64: 'MIIB' }),
  exportPem: async () => ({ fileName: 'alice.pem', mimeType: 'application/x-pem-file', base64: 'LS0t' }),
  importPkcs12: async () => fixtures.identity(),
  getSettings: async () => ({ ...fixtures.SETTINGS }),
  saveSettings: async (changes) => ({ ...fixtures.SETTINGS, ...changes }),
  listUsers: async () => [
    { aor: 'sip:alice@example.com', user: 'alice', createdAt: Date.now() - 86_400_000 },
  ],
  addUser: async (input) => [
    { aor: 'sip:alice@example.com', user: 'alice', createdAt: Date.now() - 86_400_000 },
    { aor: `sip:${input.user}@example.com`, user: input.user, createdAt: Date.now() },
  ],
  removeUser: async () => [
    { aor: 'sip:alice@example.com', user: 'alice', createdAt: Date.now() - 86_400_000 },
  ],
  switchLayer: async (input) =>
    fixtures.network({
      layers: fixtures.layers({
        health: 'switching',
        phase: 'joining',
        epoch: 1,
        detail: `Switching to ${input.algorithm}: joining the new overlay`,
      }),
    }),
};

export function fakePhone(overrides: Partial<Commands> = {}): FakePhone {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const commands = Object.fromEntries(
    COMMAND_NAMES.map((name) => [name, vi.fn(overrides[name] ?? DEFAULTS[name])]),
  ) as unknown as FakeCommands;
  return {
    ...commands,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => void set.delete(entry);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload as never);
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
  };
}
