import type { PhoneError } from './contract.ts';

/**
 * A `PhoneError` that is also an `Error`: the core rejects with it (so a stack trace survives
 * for whoever debugs the core), the WebSocket client rejects with it (so the UI's `catch` can
 * read `message` and `code` as with any error). On the wire it travels as `toPhoneError(...)`:
 * plain JSON, because an Error's `message` is not an enumerable property and would be lost.
 *
 * Browser-safe: the renderer imports this through ws-client.ts.
 */
export class PhoneCommandError extends Error implements PhoneError {
  override readonly name = 'PhoneError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The kinds of failure the UI may branch on; `message` is always what a person reads. */
export const PHONE_ERROR_CODES = {
  invalidInput: 'invalid-input',
  unknownCommand: 'unknown-command',
  notReady: 'not-ready',
  busy: 'busy',
  alreadyInNetwork: 'already-in-network',
  notHosting: 'not-hosting',
  /** Only the phone that holds the network's CA key may switch a layer's algorithm. */
  notOperator: 'not-operator',
  /** The layer cannot switch now: already switching, already running it, or a peer refused. */
  switchRefused: 'switch-refused',
  wrongPassword: 'wrong-password',
  unknownUser: 'unknown-user',
  unreachable: 'unreachable',
  refused: 'refused',
  untrustedServer: 'untrusted-server',
  certificateRevoked: 'certificate-revoked',
  certificateExpired: 'certificate-expired',
  portInUse: 'port-in-use',
  locked: 'locked',
  noSuchCall: 'no-such-call',
  mediaRefused: 'media-refused',
  noSuchContact: 'no-such-contact',
  duplicateContact: 'duplicate-contact',
  noSuchUser: 'no-such-user',
  userExists: 'user-exists',
  identityExists: 'identity-exists',
  badFile: 'bad-file',
  disconnected: 'disconnected',
  stopped: 'stopped',
  internal: 'internal',
} as const;

export function isPhoneError(value: unknown): value is PhoneError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.name === 'PhoneError' && typeof v.code === 'string' && typeof v.message === 'string';
}

/** Plain JSON for a carrier; anything that is not a PhoneError becomes 'internal'. */
export function toPhoneError(error: unknown): PhoneError {
  if (isPhoneError(error)) return { name: 'PhoneError', code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return {
    name: 'PhoneError',
    code: PHONE_ERROR_CODES.internal,
    message: `Something went wrong inside the phone: ${message.split('\n')[0]}`,
  };
}
