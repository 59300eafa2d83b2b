import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeCertificate, KeyStore, writeFileAtomic } from '../keystore/index.ts';
import type { CertificateDescription } from '../keystore/index.ts';
import type { BootstrapNode, KnownMessage, LayerState, SwitchLayer } from '../overlay/xml/index.ts';
import type { NodeRef, Overlay, OverlayFactory, OverlayMessage, OverlayReply } from '../overlay/overlay.ts';
import { SipOverlayTransport } from './sip-overlay-transport.ts';
import type { LayerName } from './sip-overlay-transport.ts';
import { CallAgent, CallRouter } from './calls/index.ts';
import type { Call, DialOptions } from './calls/index.ts';
import { Proxy, requestDestination, SipStack } from '../sip/index.ts';
import type { Endpoint, SipRequest, Tracer } from '../sip/index.ts';
import { DEFAULT_TRUST_MECHANISM, trustMechanisms } from '../trust/trust-mechanisms.ts';
import type { TrustRegistry } from '../trust/trust-registry.ts';
import type { Sender, TrustLayer, TrustLogin, TrustState, Verified } from '../trust/trust-layer.ts';

/** What a peer remembers between runs, beside its key store (peer.json). */
export type PeerSettings = Omit<TrustLogin, 'password' | 'timeoutMs'>;

export interface PeerNodeOptions {
  dataDir: string;
  /** Unlocks the private key in the key store. */
  passphrase: string;
  host?: string;
  port?: number;
  trace?: Tracer;
  onError?: (error: unknown) => void;
  /** The trust mechanism this peer runs, by name (default 'login-server'). */
  trust?: string;
  /** Where that name is looked up (default: every mechanism Chordline has, trust-mechanisms.ts). */
  trustMechanisms?: TrustRegistry;
}

export class NotLoggedInError extends Error {
  constructor() {
    super('This peer has no valid certificate yet: log in to the login server first (--ls and --user)');
    this.name = 'NotLoggedInError';
  }
}

/** A layer's own control messages on this peer (docs/PROTOCOL.md section 10). */
export interface LayerControl {
  /** A SwitchLayer that arrived in any of the layer's overlay parts. */
  receive(from: NodeRef, message: SwitchLayer): Promise<OverlayReply>;
  /** A message for an algorithm of the layer that this peer does not run (answered 404). */
  stray?(from: NodeRef, algorithm: string): void;
}

/**
 * A headless Chordline peer: its SIP stack, its key store, and the user trust layer (by default
 * 'login-server': it logs in to the login server, Figure 2, and keeps the revocation list fresh).
 * It verifies the signature of every peer-to-peer request it receives before any layer sees it,
 * and runs the overlays it hosts (`host`). It knows the trust layer only by its contract
 * (trust/trust-layer.ts).
 *
 * Lifecycle: `open()` → `login()` or `resume()` → `stop()` (safe twice).
 */
export class PeerNode {
  private certificate: CertificateDescription | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  bootstrap: BootstrapNode[] = [];
  refreshRate = 60;
  /** What the login server said each switched layer runs now (docs/PROTOCOL.md section 10.4). */
  layers: LayerState[] = [];
  /** Peers whose signed messages verified, by NodeID. */
  readonly knownPeers = new Map<string, Sender & { uri: string; lastSeen: number }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The overlays this peer runs, by "layer/algorithm". */
  private readonly overlays = new Map<string, Overlay>();
  readonly stats = { verified: 0, refused: 0 };
  /** What this peer did for calls as a proxy on the way (call-router.ts). */
  readonly routing = { proxied: 0, forked: 0, notFound: 0, detours: 0 };
  private agent: CallAgent | undefined;
  private router: CallRouter | undefined;
  /** The identity layer as the switch presents it (app/identity); unset: the first identity overlay. */
  private identityOverlay: Overlay | undefined;
  /** Per layer, who answers a SwitchLayer (docs/PROTOCOL.md section 10). */
  private readonly layerControls = new Map<string, LayerControl>();

  private constructor(
    readonly stack: SipStack,
    readonly keystore: KeyStore,
    /** Signs what this peer sends and verifies what it receives, whichever mechanism runs it. */
    private readonly trust: TrustLayer,
    readonly dataDir: string,
    private readonly onError: (error: unknown) => void,
  ) {
    stack.handle('REGISTER', (request) => this.onRegister(request));
    stack.handle('INVITE', (request) => this.onInvite(request));
    stack.handle('BYE', (request) => this.onBye(request));
    stack.onAck((ack) => this.agent?.onAck(ack));
  }

  static async open(options: PeerNodeOptions): Promise<PeerNode> {
    // An unknown name fails here, before a key store is unlocked or a socket opened.
    const trust = (options.trustMechanisms ?? trustMechanisms()).factory(
      options.trust ?? DEFAULT_TRUST_MECHANISM,
    );
    const keystore = await KeyStore.open(options.dataDir, options.passphrase);
    const stack = await SipStack.listen({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      userAgent: 'Chordline peer',
      trace: options.trace,
      onError: options.onError,
    });
    return new PeerNode(
      stack,
      keystore,
      trust({ stack, keystore }),
      options.dataDir,
      options.onError ?? (() => {}),
    );
  }

  get uri(): string {
    return this.stack.uri;
  }

  get identity(): CertificateDescription {
    if (!this.certificate) throw new NotLoggedInError();
    return this.certificate;
  }

  /** True once the trust layer's credentials are taken up here (after login() or resume()). */
  get loggedIn(): boolean {
    return this.certificate !== undefined;
  }

  /** The trust layer's picture: its mechanism, CA, revocation list (for the UI and the CLI). */
  trustState(): TrustState {
    return this.trust.state();
  }

  async settings(): Promise<PeerSettings | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dataDir, 'peer.json'), 'utf8')) as PeerSettings;
    } catch {
      return undefined;
    }
  }

  /** Figure 2 (b): log in through the trust layer, keep the certificate, trust the CA from now on. */
  async login(settings: TrustLogin): Promise<void> {
    const admission = await this.trust.login({
      timeoutMs: settings.timeoutMs,
      loginServer: settings.loginServer,
      aor: settings.aor,
      password: settings.password,
      caFingerprint: settings.caFingerprint,
    });
    const kept: PeerSettings = {
      loginServer: settings.loginServer,
      aor: admission.aor,
      caFingerprint: settings.caFingerprint ?? admission.caFingerprint,
    };
    await writeFileAtomic(join(this.dataDir, 'peer.json'), JSON.stringify(kept, null, 2) + '\n', 0o600);
    this.bootstrap = admission.bootstrap;
    this.refreshRate = admission.refreshRate;
    this.layers = admission.layers;
    this.becomeTrusted();
    this.scheduleRevocationRefresh(settings.loginServer);
  }

  /** Starts from the certificate already in the key store, if it is still valid. */
  async resume(): Promise<boolean> {
    const settings = await this.settings();
    if (!settings || !(await this.trust.resume())) return false;
    this.becomeTrusted();
    await this.refreshRevocations(settings.loginServer).catch((error) => this.onError(error));
    this.scheduleRevocationRefresh(settings.loginServer);
    return true;
  }

  /** The trust layer holds credentials now: this peer takes calls and proxies them. */
  private becomeTrusted(): void {
    const identity = this.keystore.identity();
    if (!identity.certPem || !identity.caCertPem) throw new NotLoggedInError();
    this.certificate = describeCertificate(identity.certPem);
    const context = {
      stack: this.stack,
      trust: this.trust,
      self: { aor: this.certificate.aor, nodeId: this.certificate.nodeId },
      onError: this.onError,
      // The Delivered part names the identity overlay that is active when the call arrives.
      identityOverlay: () => this.identityNow() ?? { layer: 'identity', algorithm: 'chord' },
    };
    const agent = (this.agent = new CallAgent(context));
    this.router = new CallRouter({
      proxy: new Proxy(this.stack),
      trust: this.trust,
      endpoint: () => this.stack.endpoint,
      selfAor: () => context.self.aor,
      identity: () => this.identityNow(),
      deliver: (request, verified) => agent.deliver(request, verified),
      stats: this.routing,
    });
  }

  /** The identity layer now: the switch's view when there is one, else the first identity overlay. */
  private identityNow(): Overlay | undefined {
    return (
      this.identityOverlay ?? [...this.overlays.values()].find((overlay) => overlay.layer === 'identity')
    );
  }

  /** Calls and the Delivered part follow this overlay from now on (app/identity/identity-view.ts). */
  useIdentity(view: Overlay): void {
    this.identityOverlay = view;
  }

  /** Who answers a SwitchLayer for `layer` (it may arrive in any of that layer's overlay parts). */
  onLayerControl(layer: string, control: LayerControl): void {
    this.layerControls.set(layer, control);
  }

  /** A background failure, to the same place as the peer's own. */
  reportError(error: unknown): void {
    this.onError(error);
  }

  /** This device's calls: place them, take them (`calls.onIncoming`), list them. */
  get calls(): CallAgent {
    if (!this.agent) throw new NotLoggedInError();
    return this.agent;
  }

  /** Calls an AOR through the identity overlay (the peer must have joined it). */
  dial(target: string, options: DialOptions): Call {
    return this.calls.dial(target, options);
  }

  /** Asks `loginServer` for revocation news (the trust layer's); true when a newer list was applied. */
  async refreshRevocations(loginServer: string): Promise<boolean> {
    return this.requireTrust().refreshRevocations(loginServer);
  }

  private scheduleRevocationRefresh(loginServer: string): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = setInterval(() => {
      this.refreshRevocations(loginServer).catch((error) => this.onError(error));
    }, this.refreshRate * 1000);
    this.refreshTimer.unref();
  }

  /**
   * Exchanges signed REGISTERs with another peer: each side learns the other's certificate
   * (sent once, then referred to by fingerprint) and checks it. The trust layer's handshake,
   * on which the identity overlay's messages will ride.
   */
  async hello(peer: Endpoint | string): Promise<Verified> {
    const trust = this.requireTrust();
    const destination = typeof peer === 'string' ? await requestDestination(peer, undefined) : peer;
    const { response, verified } = await trust.send(
      this.stack,
      {
        method: 'REGISTER',
        uri: `sip:${hostport(destination)}`,
        from: this.identity.aor,
        to: this.identity.aor,
        contact: this.stack.uri,
        headers: [['Expires', String(this.refreshRate)]],
        destination,
      },
      [],
    );
    if (verified) {
      if (verified.ok) this.remember(verified.sender, `sip:${hostport(destination)}`);
      return verified;
    }
    return { ok: false, status: 403, reason: `${response.status} ${response.reason}` };
  }

  /**
   * Every peer-to-peer REGISTER is verified before any overlay sees it; then each overlay part
   * goes to the overlay that runs that layer with that algorithm (a body with no part is the
   * trust layer's certificate exchange, answered with this peer's own credentials).
   */
  private async onRegister(request: SipRequest): Promise<void> {
    const verified = this.admit(request);
    if (!verified) return;
    const from = request.contacts[0]?.uri ?? `sip:${hostport(request.source)}`;
    this.remember(verified.sender, from);
    const part = verified.doc.overlays[0];
    if (!part) return this.trust.respond(request, 200, []);
    const first = part.messages[0];
    if (first?.kind === 'SwitchLayer') return this.onSwitchLayer(request, part, first, verified, from);
    const overlay = this.overlays.get(layerKey(part));
    if (!overlay) {
      this.layerControls.get(part.layer)?.stray?.({ id: verified.sender.nodeId, url: from }, part.algorithm);
      return request.respond(404, {
        reason: `Not Found: no ${part.layer} overlay running ${part.algorithm} here`,
      });
    }
    const message = part.messages[0];
    if (!message || message.kind === 'unknown') {
      return request.respond(400, { reason: `Bad Request: no message this overlay knows` });
    }
    // A node may only speak for itself: a NodeID it claims must be its certificate's.
    const claimed = (message as { nodeId?: unknown }).nodeId;
    if (message.kind === 'BootstrapRegRequest' && claimed !== verified.sender.nodeId) {
      return request.respond(403, { reason: 'NodeID does not match the certificate' });
    }
    const reply = await overlay.receive(
      { id: verified.sender.nodeId, url: from },
      message as unknown as OverlayMessage,
    );
    if (!reply.ok) return request.respond(reply.status, { reason: reply.reason });
    this.trust.respond(request, 200, [
      { layer: part.layer, algorithm: part.algorithm, messages: [reply.message as unknown as KnownMessage] },
    ]);
  }

  /** A layer's switch announcement goes to the layer, whichever of its algorithms carried it. */
  private async onSwitchLayer(
    request: SipRequest,
    part: LayerName,
    message: SwitchLayer,
    verified: Extract<Verified, { ok: true }>,
    from: string,
  ): Promise<void> {
    const control = this.layerControls.get(part.layer);
    if (!control) {
      return request.respond(404, { reason: `Not Found: no ${part.layer} layer here to switch` });
    }
    const reply = await control.receive({ id: verified.sender.nodeId, url: from }, message);
    if (!reply.ok) return request.respond(reply.status, { reason: reply.reason });
    this.trust.respond(request, 200, [
      { layer: part.layer, algorithm: part.algorithm, messages: [reply.message as unknown as KnownMessage] },
    ]);
  }

  /** One message in a layer's part to another peer, outside any overlay's own traffic (a flood). */
  sendLayerMessage(
    name: LayerName,
    to: NodeRef,
    message: SwitchLayer,
    timeoutMs = 2000,
  ): Promise<OverlayReply> {
    const transport = new SipOverlayTransport(
      this.stack,
      this.requireTrust(),
      { aor: this.identity.aor, refreshSeconds: () => this.refreshRate },
      name,
    );
    return transport.send(to, message as unknown as OverlayMessage, { timeoutMs });
  }

  /** Stops an overlay and forgets it: its messages get 404 from now on. Safe twice. */
  async unhost(name: LayerName): Promise<void> {
    const overlay = this.overlays.get(layerKey(name));
    if (!overlay) return;
    this.overlays.delete(layerKey(name));
    await overlay.stop();
  }

  /**
   * Runs an overlay algorithm for a layer on this peer: its messages ride in signed REGISTERs.
   * The overlay is started (unless `start` is false: it answers, but its refresh waits for the
   * caller's start()); joining (or creating) is the caller's next step.
   */
  async host(name: LayerName, factory: OverlayFactory, start = true): Promise<Overlay> {
    const trust = this.requireTrust();
    const identity = this.identity;
    const transport = new SipOverlayTransport(
      this.stack,
      trust,
      { aor: identity.aor, refreshSeconds: () => this.refreshRate },
      name,
    );
    const overlay = factory({
      self: { id: identity.nodeId, url: this.stack.uri },
      transport,
      now: () => Date.now(),
      schedule: (ms, task) => {
        const timer = setTimeout(task, ms);
        timer.unref();
        return () => clearTimeout(timer);
      },
    });
    this.overlays.set(layerKey(name), overlay);
    if (start) await overlay.start();
    return overlay;
  }

  overlay(name: LayerName): Overlay | undefined {
    return this.overlays.get(layerKey(name));
  }

  /** Every INVITE is verified here, then routed toward its callee or delivered to this device. */
  private async onInvite(request: SipRequest): Promise<void> {
    const verified = this.admit(request);
    if (!verified || !this.router) return;
    await this.router.route(request, verified);
  }

  /** BYE ends a call of this device; only the other party of that call may send it. */
  private onBye(request: SipRequest): void {
    const verified = this.admit(request);
    if (!verified || !this.agent) return;
    this.agent.onBye(request, verified);
  }

  /** The trust layer's gate: answers the refusal itself and returns undefined, or the sender. */
  private admit(request: SipRequest): Extract<Verified, { ok: true }> | undefined {
    if (!this.loggedIn) {
      request.respond(503, { reason: 'Service Unavailable: not logged in yet' });
      return undefined;
    }
    const verified = this.trust.verifyRequest(request);
    if (!verified.ok && verified.replayed && request.method === 'INVITE') {
      // An INVITE this node has already passed on came back (RFC 3261 16.3 step 4).
      this.stats.refused++;
      request.respond(482, { reason: 'Loop Detected: this call already passed through this peer' });
      return undefined;
    }
    if (!verified.ok) {
      this.stats.refused++;
      request.respond(verified.status, { reason: verified.reason });
      return undefined;
    }
    this.stats.verified++;
    return verified;
  }

  private remember(sender: Sender, uri: string): void {
    this.knownPeers.set(sender.nodeId, { ...sender, uri, lastSeen: Date.now() });
  }

  private requireTrust(): TrustLayer {
    if (!this.loggedIn) throw new NotLoggedInError();
    return this.trust;
  }

  /** What `chordline peer` prints and what the UI will show. */
  status() {
    const c = this.certificate;
    return {
      uri: this.stack.uri,
      aor: c?.aor,
      nodeId: c?.nodeId,
      certificate: c && { serial: c.serial, fingerprint: c.fingerprint, notAfter: c.notAfter.toISOString() },
      revocationListVersion: this.trust.state().revocationListVersion,
      knownPeers: [...this.knownPeers.values()].map((p) => ({ aor: p.aor, nodeId: p.nodeId, uri: p.uri })),
      sip: { ...this.stack.stats },
      trust: { ...this.stats },
      calls: {
        ...(this.agent?.stats ?? { placed: 0, received: 0, answered: 0 }),
        routing: { ...this.routing },
      },
    };
  }

  /** Runs `task` every `ms` until the peer stops; its failures go to onError, never up. */
  every(ms: number, task: () => Promise<unknown> | void): void {
    const timer = setInterval(() => {
      Promise.resolve()
        .then(task)
        .catch((error: unknown) => this.onError(error));
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Graceful: each overlay tells its neighbours and hands over its bindings, then the peer stops. */
  async leave(): Promise<void> {
    this.agent?.hangupAll();
    for (const overlay of this.overlays.values()) {
      await overlay.leave().catch((error: unknown) => this.onError(error));
    }
    this.stop();
  }

  /** Stops at once, telling no one (what a crash looks like to the others). Safe twice. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.refreshTimer);
    for (const timer of this.timers) clearInterval(timer);
    for (const overlay of this.overlays.values()) void overlay.stop().catch(() => undefined);
    this.stack.close();
  }
}

function layerKey(name: LayerName): string {
  return `${name.layer}/${name.algorithm}`;
}

function hostport(e: Endpoint): string {
  return `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`;
}
