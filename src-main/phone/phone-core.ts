import { mkdir } from 'node:fs/promises';
import type {
  AppPhase,
  AppStatus,
  CallView,
  CommandArgument,
  CommandName,
  CommandResult,
  Contact,
  EventName,
  IdentityView,
  LayerSwitchOutcome,
  NetworkView,
  PhoneEvents,
  PhoneService,
  RingView,
} from '../ipc/contract.ts';
import { PHONE_ERROR_CODES as CODES, PhoneCommandError } from '../ipc/phone-error.ts';
import { invalid, validateCommand } from '../ipc/validate.ts';
import { fingerprintOf, KeyStore } from '../keystore/index.ts';
import type { Tracer } from '../sip/index.ts';
import { CallDesk } from './call-desk.ts';
import { CallHistory } from './call-history.ts';
import { ContactBook } from './contact-book.ts';
import { lockDataFolder } from './data-folder-lock.ts';
import { identityView, pemFile, pkcs12File } from './identity-files.ts';
import { importIdentity, setAsideCertifiedIdentity } from './identity-move.ts';
import { Autopilot } from '../app/identity/autopilot.ts';
import { RETIRE_AFTER_PERIODS } from '../app/identity/switch-authority.ts';
import { LayerNews } from './layer-news.ts';
import { switchIdentityLayer } from './layer-switch.ts';
import { layerViews, switchOutcome } from './layer-views.ts';
import { NetworkSession } from './network-session.ts';
import type { SessionOptions } from './network-session.ts';
import { NetworkUsers } from './network-users.ts';
import { PhoneDatabase } from './phone-database.ts';
import { PhoneEventHub } from './phone-events.ts';
import { phoneFolders } from './phone-folders.ts';
import type { PhoneFolders } from './phone-folders.ts';
import { PhoneMemory } from './phone-memory.ts';
import { explain } from './phone-problems.ts';
import { Presence } from './presence.ts';
import { RingNews } from './ring-news.ts';
import { EMPTY_RING, rememberedPeers, ringView } from './ring-view.ts';
import { SettingsStore } from './settings-store.ts';

export interface PhoneCoreOptions {
  dataDir: string;
  mode: 'electron' | 'browser';
  /** Unlocks the key store (the shell keeps it with safeStorage; browser mode in a file). Asked once. */
  keyPassphrase: () => Promise<string>;
  /** The address the SIP stack (and a hosted login server) listens on. Default 127.0.0.1. */
  host?: string;
  /** Overrides the sipPort setting (the command line's choice). */
  sipPort?: number;
  /** Where a login server this phone creates listens. Default 5060, any free port if taken. */
  loginServerPort?: number;
  /** How long a login may wait for each answer of the login server. Default 8 s. */
  loginTimeoutMs?: number;
  trace?: Tracer;
  /** Failures in the background (a refresh, a listener); default: one line on stderr. */
  onError?: (error: unknown) => void;
}

type Handlers = {
  [K in CommandName]: (...args: CommandArgument<K>) => CommandResult<K> | Promise<CommandResult<K>>;
};

const LEAVE_TIMEOUT_MS = 5000;

/**
 * The desktop phone's core: everything the UI can ask (`invoke`) and hear (`on`), over one data
 * folder (phone-folders.ts). It owns the network session (node, ring, hosted login server),
 * the calls as the UI sees them, contacts, history and settings. Both carriers serve it as it
 * is: Electron IPC (src-main/shell/) and the WebSocket of browser mode (src-main/web/).
 *
 * Its phases (AppPhase in the ipc contract):
 *
 * ```
 *   open() ──no network remembered──▶ ┌─────────┐ ◀── a create or join from welcome failed:
 *     │                               │ welcome │     `problem` says why (wrong password,
 *     │ a network remembered          └─────────┘     login server unreachable...)
 *     │                                    │ createNetwork / joinNetwork / importPkcs12
 *     ▼                                    ▼
 *   ┌──────────┐ ◀──────────────────── ┌──────────┐
 *   │ starting │ (resume)              │ starting │ ──in the ring──▶ ┌───────┐ ──stop()──▶ stopped
 *   └──────────┘                       └──────────┘                  │ ready │
 *     │ could not: revoked, expired,        ▲                        └───────┘
 *     │ port in use...                      │ joinNetwork / createNetwork / importPkcs12
 *     ▼                                     │
 *   ┌────────┐ ─────────────────────────────┘  (and back to failed if that fails too)
 *   │ failed │
 *   └────────┘
 * ```
 *
 * Every command's argument is checked first (ipc/validate.ts); every failure is a
 * PhoneCommandError with a message for the person; nothing the UI sends can throw past
 * `invoke`. A phone that is `ready` may still carry a `problem`: it works, but alone.
 */
export class PhoneCore implements PhoneService {
  private phase: AppPhase = 'welcome';
  private problem: string | null = null;
  private session: NetworkSession | undefined;
  private desk: CallDesk | undefined;
  private presence: Presence | undefined;
  private users: NetworkUsers | undefined;
  private identity: IdentityView | null = null;
  private ticker: NodeJS.Timeout | undefined;
  private passphrase: string | undefined;
  private stopping: Promise<void> | undefined;
  /** A create, join or import is running (outside()). */
  private busy = false;
  private settled: Promise<void> = Promise.resolve();
  private readonly events: PhoneEventHub;
  private readonly handlers: Handlers;
  private readonly ringNews: RingNews;
  private readonly layerNews: LayerNews;
  /** How the latest switch of a layer ended on this phone, since the session started. */
  private lastSwitch: LayerSwitchOutcome | null = null;
  private autopilot: Autopilot | undefined;

  private constructor(
    private readonly options: PhoneCoreOptions,
    private readonly folders: PhoneFolders,
    private readonly unlockFolder: () => Promise<void>,
    private readonly db: PhoneDatabase,
    private readonly contacts: ContactBook,
    private readonly history: CallHistory,
    private readonly settings: SettingsStore,
    private readonly memory: PhoneMemory,
  ) {
    this.events = new PhoneEventHub((error) => this.reportError(error));
    this.handlers = this.commandTable();
    this.layerNews = new LayerNews(
      () => (this.session && !this.stopping ? (this.networkView() ?? undefined) : undefined),
      (view) => this.events.emit('networkChanged', view),
    );
    this.ringNews = new RingNews(
      () => (this.session && !this.stopping ? this.ring() : undefined),
      (view) => {
        this.events.emit('ringChanged', view);
        // New neighbours change the layers' detail lines too ("3 other peers known").
        this.layerNews.check();
      },
    );
  }

  /**
   * Opens the phone in `dataDir`. With a network remembered it starts at once, in the
   * background (phase 'starting', then 'ready' or 'failed': `whenSettled()`); else 'welcome'.
   */
  static async open(options: PhoneCoreOptions): Promise<PhoneCore> {
    const folders = phoneFolders(options.dataDir);
    await mkdir(folders.root, { recursive: true, mode: 0o700 });
    const unlock = await lockDataFolder(folders.root);
    let db: PhoneDatabase;
    try {
      db = PhoneDatabase.open(folders.database);
    } catch (error) {
      await unlock();
      throw error;
    }
    const core = new PhoneCore(
      options,
      folders,
      unlock,
      db,
      new ContactBook(db),
      new CallHistory(db),
      new SettingsStore(db),
      new PhoneMemory(db),
    );
    if (core.memory.network) core.settled = core.bringUp('resume').catch(() => undefined);
    return core;
  }

  /** Resolves once the phone is not 'starting' any more. */
  async whenSettled(): Promise<AppStatus> {
    await this.settled;
    return this.status();
  }

  async invoke<K extends CommandName>(name: K, ...args: CommandArgument<K>): Promise<CommandResult<K>> {
    try {
      if (this.stopping) throw new PhoneCommandError(CODES.stopped, 'The phone is shutting down');
      const clean = validateCommand(name, args);
      const handler = this.handlers[name] as (...a: CommandArgument<K>) => Promise<CommandResult<K>>;
      return await handler(...clean);
    } catch (error) {
      const explained = explain(error);
      if (explained.code === CODES.internal) this.reportError(error);
      throw explained;
    }
  }

  on<E extends EventName>(event: E, listener: (payload: PhoneEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Leaves the ring gracefully (calls hung up, bindings handed over), then closes everything. Safe twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.ticker);
      this.ringNews.stop();
      this.layerNews.stop();
      this.autopilot?.stop();
      await this.settled;
      const session = this.session;
      if (session) {
        this.rememberRing(session);
        this.session = undefined;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          session.leave(),
          new Promise((resolve) => (timer = setTimeout(resolve, LEAVE_TIMEOUT_MS))),
        ]);
        clearTimeout(timer);
        session.stop();
      }
      this.events.clear();
      this.db.close();
      await this.unlockFolder();
    })();
    return this.stopping;
  }

  status(): AppStatus {
    return {
      phase: this.phase,
      problem: this.problem,
      mode: this.options.mode,
      dataDir: this.folders.root,
      identity: this.identity,
      network: this.networkView(),
    };
  }

  private commandTable(): Handlers {
    return {
      appStatus: () => this.status(),
      createNetwork: (input) =>
        this.outside('create a network', async () => {
          if (await setAsideCertifiedIdentity(this.folders)) this.identity = null;
          await this.bringUp('create', async () =>
            NetworkSession.create(await this.sessionOptions(), {
              ...input,
              refreshSeconds: this.settings.get().refreshSeconds,
              loginServerPort: this.options.loginServerPort ?? 5060,
            }),
          );
          return this.status();
        }),
      joinNetwork: (input) =>
        this.outside('join a network', async () => {
          await this.bringUp('join', async () => NetworkSession.join(await this.sessionOptions(), input));
          return this.status();
        }),

      listContacts: () => this.contactList(),
      saveContact: (input) => {
        const saved = this.contacts.save(input);
        this.events.emit('contactsChanged', this.contactList());
        // Watched at once (its status is pushed when it comes); the identity lookup belongs on
        // the network screen now, not at the next refresh.
        void this.presence?.watch(this.watchedAors());
        void this.presence?.lookUp(saved.aor).then(
          () => this.ringNews.check(),
          (error) => this.reportError(error),
        );
        return { ...saved, online: this.presence?.of(saved.aor) ?? null };
      },
      removeContact: (id) => {
        this.contacts.remove(id);
        void this.presence?.watch(this.watchedAors());
        this.events.emit('contactsChanged', this.contactList());
      },

      dial: (input) => {
        const { desk, session } = this.requireReady();
        const { aor: target, sdp } = typeof input === 'string' ? { aor: input, sdp: undefined } : input;
        const aor = target.includes('@') ? target : `sip:${target}@${session.network.domain}`;
        if (aor.toLowerCase() === session.node.identity.aor.toLowerCase()) {
          throw invalid('That is your own address: call someone else');
        }
        return desk.dial(aor, sdp);
      },
      answer: (input) => {
        const { callId, sdp } = typeof input === 'string' ? { callId: input, sdp: undefined } : input;
        this.requireReady().desk.answer(callId, sdp);
      },
      decline: (id) => this.requireReady().desk.decline(id),
      hangup: (id) => this.requireReady().desk.hangup(id),
      listCalls: () => this.desk?.list() ?? [],
      updateMedia: ({ callId, sdp }) => this.requireReady().desk.updateMedia(callId, sdp),
      answerMedia: ({ offerId, sdp }) => this.requireReady().desk.answerMedia(offerId, sdp),

      listHistory: () => this.history.list((aor) => this.nameOf(aor)),
      clearHistory: () => {
        this.history.clear();
        this.events.emit('historyChanged', []);
      },

      ringState: () => this.ring(),

      exportPkcs12: async ({ password }) => {
        const keystore = await this.keystore();
        return pkcs12File(keystore, keystore.identity().aor ?? '', password);
      },
      exportPem: async () => {
        const keystore = await this.keystore();
        return pemFile(keystore, keystore.identity().aor ?? '');
      },
      importPkcs12: (input) =>
        this.outside('import an identity', () =>
          this.importIdentity(Buffer.from(input.base64, 'base64'), input.password),
        ),

      getSettings: () => this.settings.get(),
      saveSettings: (changes) => {
        const before = this.settings.get().refreshSeconds;
        const saved = this.settings.save(changes);
        if (saved.refreshSeconds !== before && this.session) this.startTicker();
        return saved;
      },

      listUsers: () => this.requireHosting().list(),
      addUser: (input) => this.requireHosting().add(input),
      removeUser: async (user) => {
        const users = this.requireHosting().remove(user);
        // This phone carries the network's first node and its echo test: they refuse the removed
        // user at once, instead of at their next revocation refresh. The others learn at theirs.
        const session = this.session;
        if (session) await session.refreshRevocations();
        return users;
      },

      switchLayer: async ({ algorithm }) => {
        const { session } = this.requireReady();
        const ls = session.loginServer;
        if (!ls) {
          throw new PhoneCommandError(
            CODES.notOperator,
            "Only the phone that created this network can switch a layer's algorithm (it holds the network's CA key, which signs the order): ask its owner to do it",
          );
        }
        await switchIdentityLayer({
          identity: session.identity,
          loginServer: ls,
          algorithms: session.identityAlgorithms,
          algorithm,
          refreshMs: session.node.refreshRate * 1000,
        });
        this.layerNews.check();
        return this.sessionNetworkView(session);
      },
    };
  }

  /**
   * welcome/failed ──▶ starting ──▶ ready, or back with `problem` (and the command rejects).
   * A resume that fails ends in 'failed'; a create or join from 'welcome' returns to 'welcome'.
   */
  private bringUp(kind: 'create' | 'join' | 'resume', start?: () => Promise<NetworkSession>): Promise<void> {
    const from = kind === 'resume' ? 'failed' : this.phase;
    this.setPhase('starting', null);
    const run = (async () => {
      try {
        const begin =
          start ??
          (async () =>
            NetworkSession.resume(
              await this.sessionOptions(),
              this.memory.network!,
              this.memory.ringPeers,
              this.memory.loginServerPort ?? this.options.loginServerPort ?? 5060,
            ));
        const session = await begin();
        if (this.stopping) {
          session.stop();
          return;
        }
        this.attach(session);
        this.setPhase('ready', session.warning);
      } catch (error) {
        const explained = explain(error);
        if (explained.code === CODES.internal) this.reportError(error);
        this.setPhase(from === 'welcome' ? 'welcome' : 'failed', explained.message);
        throw explained;
      }
    })();
    this.settled = run.catch(() => undefined);
    return run;
  }

  private attach(session: NetworkSession): void {
    this.session = session;
    const { node } = session;
    this.identity = identityView(node.identity);
    this.memory.network = session.network;
    this.memory.sipPort = node.stack.endpoint.port;
    this.memory.loginServerPort = session.loginServer?.sip?.endpoint.port;
    this.users = session.loginServer ? new NetworkUsers(session.loginServer, node.identity.aor) : undefined;
    this.presence?.close();
    this.presence = new Presence(
      session.overlay,
      session.presence,
      () => this.events.emit('contactsChanged', this.contactList()),
      (error) => this.reportError(error),
    );
    void this.presence.watch(this.watchedAors());
    this.desk = new CallDesk({
      agent: node.calls,
      address: () => node.stack.endpoint.address,
      nameOf: (aor) => this.nameOf(aor),
      changed: (view: CallView) => this.events.emit('callChanged', view),
      offered: (offer) => this.events.emit('mediaOffer', offer),
      ended: (entry) => {
        try {
          this.history.add(entry);
          this.events.emit(
            'historyChanged',
            this.history.list((aor) => this.nameOf(aor)),
          );
        } catch (error) {
          this.reportError(error);
        }
      },
    });
    this.lastSwitch = null;
    const identity = session.identity;
    identity.onSwitch = (news) => {
      this.lastSwitch = switchOutcome(news, Date.now());
      this.layerNews.check();
    };
    this.layerNews.follow((onStep) => identity.phase.watch(onStep));
    // The phone that created the network is its operator: it lets the network choose its identity
    // algorithm by size and churn (choose-algorithm.ts), first after an hour.
    this.autopilot?.stop();
    this.autopilot = session.loginServer
      ? new Autopilot(identity, session.loginServer, {
          periodMs: session.node.refreshRate * 1000,
          retireAfterMs: RETIRE_AFTER_PERIODS * session.node.refreshRate * 1000,
          devices: session.devices,
        })
      : undefined;
    this.autopilot?.start();
    this.startTicker();
    void this.tick();
  }

  /** Every refresh period: contacts' online state, the ring view, housekeeping. */
  private startTicker(): void {
    clearInterval(this.ticker);
    this.ticker = setInterval(() => void this.tick(), this.settings.get().refreshSeconds * 1000);
    this.ticker.unref();
  }

  private async tick(): Promise<void> {
    const session = this.session;
    if (!session || this.stopping) return;
    // Each await is a point where stop() may have closed the database meanwhile.
    try {
      await session.tick();
      if (this.stopping) return;
      // Pushed, not polled: this only keeps the watched list equal to the contact book.
      await this.presence?.watch(this.watchedAors());
      if (this.stopping) return;
      this.ringNews.check();
      this.layerNews.check();
      this.rememberRing(session);
    } catch (error) {
      this.reportError(error);
    }
  }

  private ring(): RingView {
    const { session, presence } = this;
    return session ? ringView(session.overlay, session.node, presence?.lookups ?? []) : EMPTY_RING;
  }

  private rememberRing(session: NetworkSession): void {
    try {
      this.memory.ringPeers = rememberedPeers(this.ring(), session.node);
    } catch (error) {
      this.reportError(error);
    }
  }

  /** The key store's passphrase, asked of the shell once. */
  private async unlock(): Promise<string> {
    try {
      this.passphrase ??= await this.options.keyPassphrase();
      return this.passphrase;
    } catch (error) {
      throw new PhoneCommandError(
        CODES.locked,
        `The key store stays locked: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async sessionOptions(): Promise<SessionOptions> {
    const passphrase = await this.unlock();
    const settings = this.settings.get();
    return {
      folders: this.folders,
      passphrase,
      host: this.options.host ?? '127.0.0.1',
      sipPort: this.options.sipPort ?? (settings.sipPort || this.memory.sipPort),
      loginTimeoutMs: this.options.loginTimeoutMs,
      trace: this.options.trace,
      onError: (error) => this.reportError(error),
      delegate: { onNeighboursChanged: () => this.ringNews.announce() },
    };
  }

  /** The key store, whether or not the phone is in a network (exports work in 'failed' too). */
  private async keystore(): Promise<KeyStore> {
    if (this.session) return this.session.node.keystore;
    return KeyStore.open(this.folders.peer, await this.unlock());
  }

  /**
   * Moves an identity exported on another computer here (identity-move.ts). If it belongs to
   * the network this phone remembers, the phone goes back into it at once; else the person
   * joins its network.
   */
  private async importIdentity(p12: Buffer, password: string): Promise<IdentityView> {
    const moved = await importIdentity(this.folders, p12, password, await this.unlock());
    this.identity = moved.identity;
    if (moved.sameNetwork && this.memory.network) {
      await this.bringUp('resume');
    } else {
      this.memory.network = undefined;
      this.setPhase('welcome', null);
    }
    return moved.identity;
  }

  /**
   * Runs a command that changes which network (or identity) the phone has: only outside a
   * network, and one at a time (a second click while the first runs is 'busy', not a race).
   */
  private async outside<T>(what: string, run: () => Promise<T>): Promise<T> {
    this.requireOutside(what);
    this.busy = true;
    try {
      return await run();
    } finally {
      this.busy = false;
    }
  }

  private requireOutside(what: string): void {
    if (this.phase === 'starting' || this.busy) {
      throw new PhoneCommandError(CODES.busy, 'The phone is starting: wait a moment, then try again');
    }
    if (this.phase === 'ready') {
      throw new PhoneCommandError(
        CODES.alreadyInNetwork,
        `This phone is already in a network, so it cannot ${what}: use another data folder for another network`,
      );
    }
  }

  private requireReady(): { session: NetworkSession; desk: CallDesk } {
    if (this.phase !== 'ready' || !this.session || !this.desk) {
      throw new PhoneCommandError(
        CODES.notReady,
        this.phase === 'starting'
          ? 'The phone is still joining the network: wait a moment'
          : 'The phone is not in a network yet: create one or join one first',
      );
    }
    return { session: this.session, desk: this.desk };
  }

  private requireHosting(): NetworkUsers {
    if (!this.users) {
      throw new PhoneCommandError(
        CODES.notHosting,
        'Only the phone that created the network can add or remove people; ask its owner',
      );
    }
    return this.users;
  }

  private setPhase(phase: AppPhase, problem: string | null): void {
    this.phase = phase;
    this.problem = problem;
    if (!this.stopping) this.events.emit('appChanged', this.status());
  }

  private networkView(): NetworkView | null {
    const session = this.session;
    if (session) return this.sessionNetworkView(session);
    const remembered = this.memory.network;
    if (!remembered || !this.db.isOpen) return null;
    const { loginServer, domain, hosted } = remembered;
    return {
      loginServer,
      domain,
      hosted,
      address: '',
      caFingerprint: '',
      echoTest: echoTestAor(domain),
      layers: [],
      lastSwitch: null,
      operator: false,
    };
  }

  private sessionNetworkView(session: NetworkSession): NetworkView {
    const { caCertPem } = session.node.keystore.identity();
    return {
      loginServer: session.network.loginServer,
      domain: session.network.domain,
      hosted: session.network.hosted,
      address: session.node.uri,
      caFingerprint: caCertPem ? fingerprintOf(caCertPem) : '',
      echoTest: echoTestAor(session.network.domain),
      layers: layerViews(session),
      lastSwitch: this.lastSwitch,
      // The CA key lives with the login server: whoever hosts it signs the network's orders.
      operator: session.loginServer !== undefined,
    };
  }

  private watchedAors(): string[] {
    return this.db.isOpen ? this.contacts.list(() => null).map((c) => c.aor) : [];
  }

  private contactList(): Contact[] {
    return this.contacts.list((aor) => this.presence?.of(aor) ?? null);
  }

  private nameOf(aor: string): string | null {
    return this.db.isOpen ? (this.contacts.byAor(aor)?.name ?? null) : null;
  }

  private reportError(error: unknown): void {
    const report =
      this.options.onError ??
      ((e: unknown) => process.stderr.write(`chordline: ${e instanceof Error ? e.message : String(e)}\n`));
    try {
      report(error);
    } catch {
      // the reporter's own failure has nowhere left to go
    }
  }
}

/** Every network's echo test answers at sip:echo@DOMAIN (a network made in the app runs one). */
export function echoTestAor(domain: string): string {
  return `sip:echo@${domain}`;
}
