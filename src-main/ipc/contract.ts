/**
 * The one contract between the phone's core (Node: SIP stack, overlay, key store) and its UI
 * (the Svelte renderer): every command the UI can call and every event it can receive, defined
 * once. Two carriers implement it, Electron IPC (preload + ipcMain) and a WebSocket for browser
 * mode; the renderer gets a `PhoneApi` and does not know which one it runs on.
 *
 * Types only (and the name lists below): the renderer imports this file, so it must not import
 * anything that runs in Node. Every value crossing is plain JSON.
 *
 * Rules for both carriers:
 * - a command takes at most one argument (an object or a string) and resolves with its result,
 *   or rejects with a `PhoneError` whose `message` a person can act on;
 * - the core checks every argument (`validate.ts`) before it runs a command: the UI is not trusted;
 * - every listener registration returns its unsubscribe function.
 */

/** Where the phone is in its life. */
export type AppPhase =
  /** No identity yet: the UI offers to create a network or join one. */
  | 'welcome'
  /** Logging in, joining the ring. */
  | 'starting'
  /** Logged in and in the ring: calls can be placed. */
  | 'ready'
  /** Could not start; `problem` says why and what to do. */
  | 'failed';

export interface AppStatus {
  phase: AppPhase;
  /** What went wrong, in words a person can act on (wrong password, server unreachable…). */
  problem: string | null;
  mode: 'electron' | 'browser';
  /** The user's data folder (contacts, history, settings, key store). */
  dataDir: string;
  identity: IdentityView | null;
  network: NetworkView | null;
}

export interface NetworkView {
  /** sip:ls@HOST:PORT */
  loginServer: string;
  domain: string;
  /** This app runs the network's login server itself ("create a network"). */
  hosted: boolean;
  /** This peer's own SIP address (sip:HOST:PORT). */
  address: string;
  /** SHA-256 of the login server's CA certificate: what people joining can check (or pin). */
  caFingerprint: string;
  /**
   * The network's echo test (sip:echo@DOMAIN): a headless peer that answers and sends back what
   * it hears, so a person can test microphone and speaker alone. A network created in the app
   * runs one; on another network the call may find nobody (404).
   */
  echoTest: string;
  /**
   * The network's layers as this phone runs them (paper, section 2: each layer picks its own P2P
   * mechanism): trust, identity, presence, in that order. Empty while the phone is not in a
   * network. There is no device layer yet: a phone is one device, so there is no row for it.
   */
  layers: LayerView[];
  /** How the latest switch of a layer's algorithm ended on this phone; null: none since it started. */
  lastSwitch: LayerSwitchOutcome | null;
  /**
   * This phone holds the network's CA key (it created the network and hosts its login server),
   * so it may switch a layer's algorithm (`switchLayer`); every other phone gets 'not-operator'.
   */
  operator: boolean;
}

/** The layers a phone runs today, by their name in `<Overlay layer=…>` (docs/PROTOCOL.md). */
export type LayerName = 'device' | 'trust' | 'identity' | 'presence';

/**
 * - `ok`: working as it should;
 * - `switching`: moving to another algorithm (docs/PROTOCOL.md section 10), calls still go through;
 * - `degraded`: working, but with less than it should (alone in its overlay, a refresh failing,
 *   a certificate about to expire);
 * - `down`: not working (not in its overlay, certificate expired, could not start).
 */
export type LayerHealth = 'ok' | 'switching' | 'degraded' | 'down';

/**
 * Where this phone is in a switch of the layer's algorithm (docs/PROTOCOL.md section 10.3):
 * `joining` the new overlay beside the old, `checking` that both name the same owners, `moved`
 * (the new one answers first, the old one retires soon), `steady` outside a switch.
 */
export type LayerSwitchPhase = 'steady' | 'joining' | 'checking' | 'moved';

export interface LayerView {
  layer: LayerName;
  /** The P2P mechanism the layer runs here: 'login-server' (trust), 'chord', 'onehop'. */
  algorithm: string;
  health: LayerHealth;
  /** One line for a person: "3 other peers known, successor 5b0c7d2e…", "switching to onehop: checking owners". */
  detail: string;
  /** Switches of this layer this phone has taken part in (0: none; kept in memory only). */
  epoch: number;
  phase: LayerSwitchPhase;
  /** The algorithms this layer could switch to from here; empty: the layer cannot switch. */
  switchTo: string[];
}

export interface LayerSwitchOutcome {
  layer: LayerName;
  epoch: number;
  from: string;
  to: string;
  outcome: 'done' | 'aborted';
  /** Why it was aborted, for a person; null when done. */
  reason: string | null;
  /** When this phone finished (or gave up), ms since the epoch. */
  at: number;
}

/** The operator's order: run `algorithm` for `layer` across the whole network. */
export interface SwitchLayerInput {
  /** Only the identity layer can switch today. */
  layer: LayerName;
  /** 'chord' or 'onehop': one of the layer's `switchTo`. */
  algorithm: string;
}

export interface CreateNetworkInput {
  /** e.g. example.com: AORs become sip:USER@DOMAIN. */
  domain: string;
  user: string;
  password: string;
}

export interface JoinNetworkInput {
  /** sip:ls@HOST:PORT */
  loginServer: string;
  user: string;
  password: string;
  /** The login server's CA fingerprint, when the person was given it (else trust on first use). */
  caFingerprint?: string;
}

/** A user account on the login server this app hosts (only for a network it created). */
export interface NetworkUser {
  aor: string;
  user: string;
  createdAt: number;
}

export interface NetworkUserInput {
  /** The part before the @: the AOR becomes sip:USER@DOMAIN of the hosted network. */
  user: string;
  /** What that person types in "Join a network". */
  password: string;
}

export interface IdentityView {
  aor: string;
  nodeId: string;
  serial: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the certificate, hex. */
  fingerprint: string;
}

export interface Contact {
  id: string;
  name: string;
  aor: string;
  /** Registered in the overlay right now (null: not known yet). */
  online: boolean | null;
}

export interface ContactInput {
  /** Absent: a new contact. */
  id?: string;
  name: string;
  aor: string;
}

export type CallState = 'calling' | 'ringing' | 'active' | 'ended';

/**
 * Voice (issue 5) runs in the renderer (WebRTC); the core carries its session descriptions,
 * signed, in INVITE and 200 (RFC 3264 offer/answer), so nobody on the path can change a DTLS
 * fingerprint. The UI makes an offer and dials with it, makes an answer from the caller's offer
 * (`CallView.remoteSdp`) and answers with it; a new offer in an answered call (hold, resume)
 * goes out as a re-INVITE (`updateMedia`), and one from the other side arrives as `mediaOffer`,
 * which the UI answers with `answerMedia`.
 */
export interface DialInput {
  /** sip:user@domain, or just the user (of this network). */
  aor: string;
  /** The SDP offer (ICE candidates gathered). Absent: a call without media (inactive audio). */
  sdp?: string;
}

export interface AnswerInput {
  callId: string;
  /** The SDP answer to the call's remoteSdp. Absent: answered without media. */
  sdp?: string;
}

/** A new offer in an answered call: sent as a re-INVITE. */
export interface MediaUpdateInput {
  callId: string;
  sdp: string;
}

/** The other side sent a new offer (re-INVITE): the UI answers it within 10 s with answerMedia. */
export interface MediaOffer {
  callId: string;
  /** Names this offer in answerMedia. */
  offerId: string;
  sdp: string;
}

export interface MediaAnswerInput {
  offerId: string;
  /** The SDP answer; absent: the UI cannot take the offer (the other side gets 488). */
  sdp?: string;
}

/** Who holds the call (from the SDP directions: sendonly or inactive means "on hold"). */
export type HoldState = 'none' | 'local' | 'remote' | 'both';

export interface CallView {
  /** The Call-ID. */
  id: string;
  direction: 'outgoing' | 'incoming';
  state: CallState;
  /** The other party's AOR; for an incoming call, the one its certificate proves. */
  peer: string;
  /** The contact's name, if the peer is a contact. */
  peerName: string | null;
  /** Peers that carried the INVITE between caller and callee. */
  hops: number | null;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  end: { status: number; reason: string; by: 'local' | 'remote' | 'network' } | null;
  /**
   * The other side's latest session description (verified: it was signed by `peer`): the offer
   * of a ringing incoming call, the answer once an outgoing call is answered. Null: none yet.
   */
  remoteSdp: string | null;
  hold: HoldState;
}

export interface HistoryEntry {
  id: string;
  direction: 'outgoing' | 'incoming';
  peer: string;
  peerName: string | null;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number;
  status: number;
  reason: string;
  /** An incoming call nobody answered. */
  missed: boolean;
}

export interface RingNodeView {
  id: string;
  url: string;
}

export interface RingView {
  self: RingNodeView | null;
  predecessor: RingNodeView | null;
  successors: RingNodeView[];
  /**
   * The finger table as the overlay keeps it, one row where the node changes: finger `finger`
   * points at `node`, the first node at or after `start` = self + 2^(finger-1), and so do the
   * fingers after it up to the next row's (the last row's up to finger 160).
   */
  fingers: Array<{ finger: number; start: string; node: RingNodeView }>;
  /** Peers whose signed messages verified here. */
  knownPeers: Array<{ aor: string; nodeId: string; uri: string }>;
  /** The latest lookups this node made (newest first). */
  lookups: Array<{ key: string; owner: string; hops: number; at: number }>;
  /** Bindings this node stores for others. */
  bindings: number;
}

export interface Settings {
  /** UDP port of the SIP stack; 0 picks a free one (the last one used, when it is still free). Next start. */
  sipPort: number;
  ringtone: 'classic' | 'soft' | 'none';
  startMinimised: boolean;
  /**
   * How often, in seconds, the phone checks its contacts' online state and refreshes the ring
   * view. A network this app creates also takes it as its Chord refresh period (the paper's
   * RefreshRate, which every peer that joins adopts); that part applies when the network is made.
   */
  refreshSeconds: number;
  theme: 'system' | 'light' | 'dark';
  /** The microphone (a MediaDeviceInfo.deviceId); '' is the system's default. */
  microphoneId: string;
  /** The speaker or headset (audio output deviceId); '' is the system's default. */
  speakerId: string;
  /** STUN and TURN servers for calls across NATs (none: host candidates only, enough on a LAN). */
  iceServers: IceServer[];
}

/** One STUN or TURN server, as RTCIceServer takes it. */
export interface IceServer {
  /** stun:HOST[:PORT], turn:HOST[:PORT][?transport=udp|tcp] or turns:… */
  urls: string;
  username?: string;
  credential?: string;
}

/** A file the core produced for the person to save (the UI offers a save dialog or a download). */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  base64: string;
}

/** Every command: its argument (or none) and its result. */
export interface PhoneCommands {
  appStatus(): AppStatus;
  createNetwork(input: CreateNetworkInput): AppStatus;
  joinNetwork(input: JoinNetworkInput): AppStatus;

  listContacts(): Contact[];
  saveContact(input: ContactInput): Contact;
  removeContact(id: string): void;

  dial(input: string | DialInput): CallView;
  answer(input: string | AnswerInput): void;
  decline(callId: string): void;
  hangup(callId: string): void;
  listCalls(): CallView[];
  /** Sends a new offer in an answered call (re-INVITE) and resolves with the other side's answer. */
  updateMedia(input: MediaUpdateInput): { sdp: string };
  answerMedia(input: MediaAnswerInput): void;

  listHistory(): HistoryEntry[];
  clearHistory(): void;

  ringState(): RingView;

  exportPkcs12(input: { password: string }): ExportedFile;
  exportPem(): ExportedFile;
  importPkcs12(input: { base64: string; password: string }): IdentityView;

  getSettings(): Settings;
  saveSettings(input: Partial<Settings>): Settings;

  /** The people who may join the network this app hosts ('not-hosting' otherwise). */
  listUsers(): NetworkUser[];
  addUser(input: NetworkUserInput): NetworkUser[];
  /** Removes the account and revokes its certificates: that person's calls are refused from now on. */
  removeUser(user: string): NetworkUser[];

  /**
   * The operator switches a layer's algorithm for the whole network: this phone signs the order
   * with the network's CA key and starts it here; it spreads to every peer (docs/PROTOCOL.md
   * section 10). Resolves with the network view once this phone has accepted it (the identity
   * layer `switching`); `networkChanged` tells the rest. 'not-operator' on a phone without the CA
   * key, 'switch-refused' when the layer cannot switch now (already switching, already there).
   */
  switchLayer(input: SwitchLayerInput): NetworkView;
}

/** Every event the core sends the UI, and its payload. */
export interface PhoneEvents {
  appChanged: AppStatus;
  callChanged: CallView;
  mediaOffer: MediaOffer;
  contactsChanged: Contact[];
  historyChanged: HistoryEntry[];
  ringChanged: RingView;
  /** The network view changed: a layer's algorithm, health or switch phase, the last switch. */
  networkChanged: NetworkView;
}

export type CommandName = keyof PhoneCommands;
export type EventName = keyof PhoneEvents;
export type CommandArgument<K extends CommandName> = Parameters<PhoneCommands[K]>;
export type CommandResult<K extends CommandName> = ReturnType<PhoneCommands[K]>;

/** What the renderer holds: one function per command, and `on` for events. */
export type PhoneApi = {
  [K in CommandName]: (...args: CommandArgument<K>) => Promise<CommandResult<K>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: PhoneEvents[E]) => void): () => void;
};

/** The command names, at run time (carriers build one function per name). */
export const COMMAND_NAMES = [
  'appStatus',
  'createNetwork',
  'joinNetwork',
  'listContacts',
  'saveContact',
  'removeContact',
  'dial',
  'answer',
  'decline',
  'hangup',
  'listCalls',
  'updateMedia',
  'answerMedia',
  'listHistory',
  'clearHistory',
  'ringState',
  'exportPkcs12',
  'exportPem',
  'importPkcs12',
  'getSettings',
  'saveSettings',
  'listUsers',
  'addUser',
  'removeUser',
  'switchLayer',
] as const satisfies readonly CommandName[];

/** Compiles only while COMMAND_NAMES lists every command of PhoneCommands. */
const _everyCommandNamed: Exclude<CommandName, (typeof COMMAND_NAMES)[number]> extends never ? true : never =
  true;

export const EVENT_NAMES = [
  'appChanged',
  'callChanged',
  'mediaOffer',
  'contactsChanged',
  'historyChanged',
  'ringChanged',
  'networkChanged',
] as const satisfies readonly EventName[];

/** Compiles only while EVENT_NAMES lists every event of PhoneEvents. */
const _everyEventNamed: Exclude<EventName, (typeof EVENT_NAMES)[number]> extends never ? true : never = true;

/** A refused or failed command, as the UI receives it: `message` is for the person. */
export interface PhoneError {
  name: 'PhoneError';
  /** A short machine-readable kind: 'invalid-input', 'not-ready', 'wrong-password', … */
  code: string;
  message: string;
}

/**
 * What both carriers serve: the phone's core as one object. The Electron carrier passes each
 * `ipcRenderer.invoke` to `invoke`, the WebSocket carrier each request frame; both forward
 * `on` events to the UI.
 */
export interface PhoneService {
  invoke<K extends CommandName>(name: K, ...args: CommandArgument<K>): Promise<CommandResult<K>>;
  on<E extends EventName>(event: E, listener: (payload: PhoneEvents[E]) => void): () => void;
}
