/**
 * Run-time checks of every command's argument, before the core runs the command: the UI is not
 * trusted (a page in browser mode is one bug away from sending anything). Each check returns the
 * argument cleaned up (trimmed, lowercased where case means nothing, `alice@example.com` made
 * `sip:alice@example.com`) or throws a `PhoneCommandError('invalid-input')` whose message tells
 * the person what to type instead.
 *
 * Browser-safe (no Node imports): the UI may run the same checks to explain a form field before
 * sending it.
 */
import { COMMAND_NAMES } from './contract.ts';
import type {
  AnswerInput,
  CommandArgument,
  DialInput,
  IceServer,
  MediaAnswerInput,
  MediaUpdateInput,
  CommandName,
  ContactInput,
  CreateNetworkInput,
  JoinNetworkInput,
  NetworkUserInput,
  Settings,
  SwitchLayerInput,
} from './contract.ts';
import { PHONE_ERROR_CODES, PhoneCommandError } from './phone-error.ts';

/** What a person can type in as a SIP user name and still get a certificate for it. */
const USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$?/]|%[0-9A-Fa-f]{2})+$/;
const USER_CHARACTERS = "letters, digits and - _ . ! ~ * ' ( ) & = + $ ? /";
const MAX_USER = 64;
const MAX_PASSWORD = 1024;
const MAX_NAME = 80;
/** A PKCS#12 file of one identity is a few kilobytes; a megabyte of base64 is plenty. */
const MAX_PKCS12_BASE64 = 1_000_000;
/** A WebRTC audio offer with a dozen candidates is 3-6 KB; the core carries it over UDP. */
const MAX_SDP = 16_384;
const MAX_ICE_SERVERS = 8;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
// Control characters (U+0000 to U+001F, U+007F) have no place in a name or an address.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function invalid(message: string): PhoneCommandError {
  return new PhoneCommandError(PHONE_ERROR_CODES.invalidInput, message);
}

/** A host name with a letter in its top label (RFC 3261 section 25.1), lowercased. */
export function checkDomain(value: unknown, what = 'The domain'): string {
  const text = requireText(value, what).toLowerCase();
  const labels = text.split('.');
  const top = labels[labels.length - 1];
  if (text.length > 253 || !labels.every((label) => LABEL.test(label)) || !/^[a-z]/.test(top)) {
    throw invalid(`${what} "${text}" is not a host name: use something like example.com`);
  }
  return text;
}

export function checkUser(value: unknown, what = 'The user name'): string {
  const text = requireText(value, what);
  if (text.length > MAX_USER) throw invalid(`${what} is too long: use at most ${MAX_USER} characters`);
  if (!USER.test(text)) {
    const bad = [...text].find((ch) => !USER.test(ch) && ch !== '%') ?? '%';
    throw invalid(`${what} cannot contain "${bad}": use only ${USER_CHARACTERS}`);
  }
  return text;
}

export function checkPassword(value: unknown, what = 'password', options: { empty?: boolean } = {}): string {
  if (typeof value !== 'string') throw invalid(`Type a ${what}`);
  if (value.length === 0 && !options.empty) throw invalid(`Type a ${what}`);
  if (value.length > MAX_PASSWORD)
    throw invalid(`The ${what} is too long: use at most ${MAX_PASSWORD} characters`);
  return value;
}

/**
 * An address of record, `sip:user@domain`. `user@domain` and `<sip:user@domain>` are accepted
 * and written the one way; ports, parameters and display names are refused, since an AOR names a
 * person, not a device.
 */
export function checkAor(value: unknown, what = 'The address'): string {
  let text = requireText(value, what);
  if (text.startsWith('<') && text.endsWith('>')) text = text.slice(1, -1).trim();
  const scheme = /^sips?:/i.exec(text);
  const rest = scheme ? text.slice(scheme[0].length) : text;
  const at = rest.lastIndexOf('@');
  const example = 'type it as sip:alice@example.com';
  if (at <= 0) throw invalid(`${what} "${text}" has no user and domain: ${example}`);
  const host = rest.slice(at + 1);
  if (/[:;?]/.test(host)) {
    throw invalid(`${what} "${text}" has a port or parameters: ${example}, nothing after the domain`);
  }
  const user = checkUser(rest.slice(0, at), `The user part of ${what.toLowerCase()}`);
  const domain = checkDomain(host, `The domain of ${what.toLowerCase()}`);
  return `sip:${user}@${domain}`;
}

/** Whom to call: a whole address, or only a user name (the core adds this network's domain). */
export function checkDialTarget(value: unknown): string {
  const text = requireText(value, 'The number or address to call');
  return text.includes('@') ? checkAor(text, 'The address to call') : checkUser(text, 'The number to call');
}

/** What to call, and the UI's offer: a plain string is an address without media. */
export function checkDial(value: unknown): DialInput {
  if (typeof value === 'string') return { aor: checkDialTarget(value) };
  const input = record(value, 'The call to place', ['aor', 'sdp']);
  const sdp = optionalSdp(input.sdp, 'The offer');
  return { aor: checkDialTarget(input.aor), ...(sdp ? { sdp } : {}) };
}

export function checkAnswer(value: unknown): AnswerInput {
  if (typeof value === 'string') return { callId: checkId(value, 'The call') };
  const input = record(value, 'The answer', ['callId', 'sdp']);
  const sdp = optionalSdp(input.sdp, 'The answer');
  return { callId: checkId(input.callId, 'The call'), ...(sdp ? { sdp } : {}) };
}

/**
 * A session description as a browser writes one (RFC 4566/8866): it starts with v=0, has one
 * field per line, and carries no control characters other than the line ends. The core does
 * not interpret it beyond that; the other side's WebRTC stack does.
 */
export function checkSdp(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${what} (SDP) is missing`);
  if (value.length > MAX_SDP) throw invalid(`${what} (SDP) is longer than ${MAX_SDP} characters`);
  // eslint-disable-next-line no-control-regex
  if (!value.startsWith('v=0') || /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/.test(value)) {
    throw invalid(`${what} is not a session description (SDP starts with v=0, one field per line)`);
  }
  const lines = value.split(/\r?\n/).filter((line) => line.length > 0);
  if (!lines.every((line) => /^[a-z]=/.test(line))) {
    throw invalid(`${what} is not a session description: every SDP line is a letter, "=", a value`);
  }
  return lines.join('\r\n') + '\r\n';
}

function optionalSdp(value: unknown, what: string): string | undefined {
  return value === undefined || value === null ? undefined : checkSdp(value, what);
}

function checkIceServers(value: unknown): IceServer[] {
  if (!Array.isArray(value)) throw invalid('The STUN/TURN servers must be a list');
  if (value.length > MAX_ICE_SERVERS) throw invalid(`At most ${MAX_ICE_SERVERS} STUN/TURN servers`);
  return value.map((raw: unknown) => {
    const input = record(raw, 'A STUN/TURN server', ['urls', 'username', 'credential']);
    const urls = requireText(input.urls, 'The STUN/TURN server address');
    if (
      !/^(?:stuns?|turns?):(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?(?:\?transport=(?:udp|tcp))?$/.test(
        urls,
      )
    ) {
      throw invalid(
        `"${urls}" is not a STUN or TURN address: type stun:HOST:PORT or turn:HOST:PORT (turns: for TLS)`,
      );
    }
    const server: IceServer = { urls };
    for (const field of ['username', 'credential'] as const) {
      const v = input[field];
      if (v === undefined || v === null || v === '') continue;
      if (typeof v !== 'string' || v.length > 256 || CONTROL.test(v)) {
        throw invalid(`The TURN ${field === 'username' ? 'user name' : 'password'} is not usable text`);
      }
      server[field] = v;
    }
    if (urls.startsWith('turn') && (!server.username || !server.credential)) {
      throw invalid(`The TURN server ${urls} needs a user name and a password`);
    }
    return server;
  });
}

function checkDeviceId(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length > 256 || CONTROL.test(value)) {
    throw invalid(`${what} is not a device the browser named`);
  }
  return value;
}

/**
 * `sip:ls@HOST:PORT`, also typed as `HOST:PORT`, `HOST` (port 5060), `sip:HOST:PORT`; HOST is a
 * host name, an IPv4 address or a bracketed IPv6 address.
 */
export function checkLoginServer(value: unknown): string {
  const text = requireText(value, 'The login server address');
  const m = /^(?:sip:)?(?:([^@\s]+)@)?(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/i.exec(text);
  const hint = `type it as sip:ls@HOST:PORT, for example sip:ls@192.168.1.10:5060`;
  if (!m) throw invalid(`The login server address "${text}" is not one: ${hint}`);
  const [, user = 'ls', rawHost, rawPort] = m;
  const port = rawPort === undefined ? 5060 : Number(rawPort);
  if (!(port >= 1 && port <= 65535)) throw invalid(`The login server's port must be 1 to 65535: ${hint}`);
  const host = rawHost.toLowerCase();
  if (!host.startsWith('[') && !IPV4.test(host)) checkDomain(host, 'The login server host');
  if (!USER.test(user)) throw invalid(`The login server address "${text}" is not one: ${hint}`);
  return `sip:${user}@${host}:${port}`;
}

/** 64 hex digits, with or without colons (as `openssl x509 -fingerprint` prints them). */
export function checkFingerprint(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid('The CA fingerprint must be text');
  const hex = value.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw invalid('The CA fingerprint must be 64 hexadecimal digits (SHA-256), as the network shows it');
  }
  return hex;
}

export function checkName(value: unknown): string {
  const text = requireText(value, 'The name');
  if (text.length > MAX_NAME) throw invalid(`The name is too long: use at most ${MAX_NAME} characters`);
  return text;
}

/** Ids the core made (contacts: UUIDs; calls: Call-IDs): short, printable, no spaces. */
export function checkId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(value)) {
    throw invalid(`${what} is missing or malformed`);
  }
  return value;
}

const SETTING_CHECKS: { [K in keyof Settings]: (value: unknown) => Settings[K] } = {
  sipPort: (v) => wholeNumber(v, 'The SIP port', 0, 65535),
  ringtone: (v) => oneOf(v, 'The ringtone', ['classic', 'soft', 'none'] as const),
  startMinimised: (v) => {
    if (typeof v !== 'boolean') throw invalid('"Start minimised" is either on or off');
    return v;
  },
  refreshSeconds: (v) => wholeNumber(v, 'The refresh period', 1, 3600),
  theme: (v) => oneOf(v, 'The theme', ['system', 'light', 'dark'] as const),
  microphoneId: (v) => checkDeviceId(v, 'The microphone'),
  speakerId: (v) => checkDeviceId(v, 'The speaker'),
  iceServers: checkIceServers,
};

export function checkSettings(value: unknown): Partial<Settings> {
  const input = record(value, 'The settings', Object.keys(SETTING_CHECKS));
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    out[key] = SETTING_CHECKS[key as keyof Settings](raw);
  }
  return out as Partial<Settings>;
}

/** An algorithm's name as `<Overlay algorithm=…>` writes it (chord, onehop). */
const ALGORITHM = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * The operator's switch: only the identity layer can change its algorithm today, so a request
 * for another layer is refused here with what can be switched instead. Whether this phone may
 * (it holds the CA key) and whether it runs the algorithm, the core decides.
 */
export function checkSwitchLayer(value: unknown): SwitchLayerInput {
  const input = record(value, 'The switch', ['layer', 'algorithm']);
  const layer = requireText(input.layer, 'The layer to switch').toLowerCase();
  if (layer !== 'identity') {
    const known = layer === 'trust' || layer === 'presence' || layer === 'device';
    throw invalid(
      `${known ? `The ${layer} layer cannot switch its algorithm yet` : `There is no layer "${layer.slice(0, 40)}"`}: only the identity layer can (chord or onehop)`,
    );
  }
  const algorithm = requireText(input.algorithm, 'The algorithm to switch to').toLowerCase();
  if (!ALGORITHM.test(algorithm)) {
    throw invalid(`"${algorithm.slice(0, 40)}" is not an algorithm's name: choose chord or onehop`);
  }
  return { layer: 'identity', algorithm };
}

type Check<K extends CommandName> = (args: readonly unknown[]) => CommandArgument<K>;

const none =
  <K extends CommandName>(name: K): Check<K> =>
  (args) => {
    if (args.some((a) => a !== undefined && a !== null)) throw invalid(`${name} takes no argument`);
    return [] as unknown as CommandArgument<K>;
  };

const one =
  <K extends CommandName>(check: (value: unknown) => CommandArgument<K>[0]): Check<K> =>
  (args) => {
    if (args.length > 1) throw invalid('A command takes one argument');
    return [check(args[0])] as unknown as CommandArgument<K>;
  };

/** One check per command: the table the core consults before it runs anything. */
export const COMMAND_CHECKS: { [K in CommandName]: Check<K> } = {
  appStatus: none('appStatus'),
  createNetwork: one((v): CreateNetworkInput => {
    const input = record(v, 'The new network', ['domain', 'user', 'password']);
    return {
      domain: checkDomain(input.domain, "The network's domain"),
      user: checkUser(input.user, 'Your user name'),
      password: checkPassword(input.password),
    };
  }),
  joinNetwork: one((v): JoinNetworkInput => {
    const input = record(v, 'The network to join', ['loginServer', 'user', 'password', 'caFingerprint']);
    const caFingerprint = checkFingerprint(input.caFingerprint);
    return {
      loginServer: checkLoginServer(input.loginServer),
      user: joinUser(input.user),
      password: checkPassword(input.password),
      ...(caFingerprint ? { caFingerprint } : {}),
    };
  }),
  listContacts: none('listContacts'),
  saveContact: one((v): ContactInput => {
    const input = record(v, 'The contact', ['id', 'name', 'aor']);
    const id =
      input.id === undefined || input.id === null ? undefined : checkId(input.id, "The contact's id");
    return {
      ...(id ? { id } : {}),
      name: checkName(input.name),
      aor: checkAor(input.aor, "The contact's address"),
    };
  }),
  removeContact: one((v) => checkId(v, "The contact's id")),
  dial: one(checkDial),
  answer: one(checkAnswer),
  decline: one((v) => checkId(v, 'The call')),
  hangup: one((v) => checkId(v, 'The call')),
  listCalls: none('listCalls'),
  updateMedia: one((v): MediaUpdateInput => {
    const input = record(v, 'The new offer', ['callId', 'sdp']);
    return { callId: checkId(input.callId, 'The call'), sdp: checkSdp(input.sdp, 'The offer') };
  }),
  answerMedia: one((v): MediaAnswerInput => {
    const input = record(v, 'The answer to the new offer', ['offerId', 'sdp']);
    const sdp = optionalSdp(input.sdp, 'The answer');
    return { offerId: checkId(input.offerId, 'The offer'), ...(sdp ? { sdp } : {}) };
  }),
  listHistory: none('listHistory'),
  clearHistory: none('clearHistory'),
  ringState: none('ringState'),
  exportPkcs12: one((v) => {
    const input = record(v, 'The export', ['password']);
    return { password: checkPassword(input.password, 'password to protect the exported file') };
  }),
  exportPem: none('exportPem'),
  importPkcs12: one((v) => {
    const input = record(v, 'The import', ['base64', 'password']);
    return {
      base64: checkBase64(input.base64),
      password: checkPassword(input.password, 'password', { empty: true }),
    };
  }),
  getSettings: none('getSettings'),
  saveSettings: one(checkSettings),
  listUsers: none('listUsers'),
  addUser: one((v): NetworkUserInput => {
    const input = record(v, 'The new user', ['user', 'password']);
    return { user: checkUser(input.user), password: checkPassword(input.password) };
  }),
  removeUser: one((v) => checkUser(v)),
  switchLayer: one(checkSwitchLayer),
};

const KNOWN: ReadonlySet<string> = new Set(COMMAND_NAMES);

export function checkCommandName(value: unknown): CommandName {
  if (typeof value !== 'string' || !KNOWN.has(value)) {
    throw new PhoneCommandError(
      PHONE_ERROR_CODES.unknownCommand,
      `The phone has no command ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : `of type ${typeof value}`}: the app and its core are of different versions`,
    );
  }
  return value as CommandName;
}

/** The cleaned arguments of a command, or a PhoneCommandError. */
export function validateCommand<K extends CommandName>(
  name: K,
  args: readonly unknown[],
): CommandArgument<K> {
  return (COMMAND_CHECKS[checkCommandName(name)] as Check<K>)(args);
}

/** A user name for joining; `alice@example.com` is accepted as alice (the login server's domain decides). */
function joinUser(value: unknown): string {
  const text = requireText(value, 'Your user name');
  if (!text.includes('@')) return checkUser(text, 'Your user name');
  const aor = checkAor(text, 'Your address');
  return aor.slice('sip:'.length);
}

function checkBase64(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0)
    throw invalid('Choose a PKCS#12 file (.p12) to import');
  if (value.length > MAX_PKCS12_BASE64) throw invalid('That file is far too large to be a PKCS#12 identity');
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw invalid('The file did not arrive as base64: choose the .p12 file again');
  }
  return compact;
}

function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string') throw invalid(`${what} is missing`);
  const text = value.trim();
  if (text.length === 0) throw invalid(`${what} is empty`);
  if (CONTROL.test(text)) throw invalid(`${what} contains a control character`);
  return text;
}

/** A plain object with only the fields a command knows (a misspelt field is a bug, said so). */
function record(value: unknown, what: string, fields: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${what} is missing`);
  const extra = Object.keys(value).filter((key) => !fields.includes(key));
  if (extra.length > 0) {
    throw invalid(
      `${what} has a field the phone does not know: ${extra.join(', ')} (expected ${fields.join(', ')})`,
    );
  }
  return value as Record<string, unknown>;
}

function wholeNumber(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${what} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, what: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !options.includes(value as T)) {
    throw invalid(`${what} must be one of: ${options.join(', ')}`);
  }
  return value as T;
}
