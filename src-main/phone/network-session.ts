import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { identityAlgorithms, joinIdentity } from '../app/identity-layer.ts';
import type { IdentityLayer } from '../app/identity/identity-layer.ts';
import { PeerNode } from '../app/peer-node.ts';
import { DeviceLayer } from '../app/device/index.ts';
import { joinPresenceLayer } from '../app/presence/index.ts';
import type { PresenceOverlay } from '../app/presence/index.ts';
import type { PeerSettings } from '../app/peer-node.ts';
import { writePeerState } from '../app/peer-state-file.ts';
import type { CreateNetworkInput, JoinNetworkInput } from '../ipc/contract.ts';
import { describeCertificate, fingerprintOf, issueCertificate, writeFileAtomic } from '../keystore/index.ts';
import { OverlayRegistry } from '../overlay/overlay-registry.ts';
import type { NodeRef, Overlay, OverlayDelegate, OverlayFactory } from '../overlay/overlay.ts';
import { PortInUseError } from '../sip/index.ts';
import type { Tracer } from '../sip/index.ts';
import { initLoginServer, LoginServer } from '../trust/login-server/index.ts';
import type { NetworkMemory } from './phone-memory.ts';
import type { PhoneFolders } from './phone-folders.ts';
import { asidePath } from './phone-folders.ts';
import { HostedEcho } from './hosted-echo.ts';
import { certificateExpired, certificateRefusal } from './phone-problems.ts';

export interface SessionOptions {
  folders: PhoneFolders;
  passphrase: string;
  host: string;
  /** The SIP port to use; 0 for any. A port in use falls back to any. */
  sipPort: number;
  loginTimeoutMs?: number;
  trace?: Tracer;
  onError: (error: unknown) => void;
  /** News of the ring (neighbours changed), for the network screen. */
  delegate: OverlayDelegate;
}

export interface CreateOptions extends CreateNetworkInput {
  /** The network's RefreshRate, in seconds. */
  refreshSeconds: number;
  /** Where the login server listens; 5060 by default, any free port when that one is taken. */
  loginServerPort: number;
}

/** Renew a hosted certificate this long before it expires (the app's own CA signs it). */
const RENEW_BEFORE_MS = 7 * 86_400_000;

/**
 * One run of the phone in a network: its PeerNode (SIP stack, key store, trust, calls), the
 * identity layer it joined (whose algorithm may change while it runs: docs/PROTOCOL.md section
 * 10), the presence layer, and the login server it hosts if it created the network. The three
 * ways in are the first-run choices and the restart:
 *
 * - `create`: a login server in DIR/network (CA, accounts: the person as first user), a login
 *   to it, and the first node of a new ring. The login server and this node stay the network's
 *   bootstrap: every later login is pointed at this phone.
 * - `join`: a login to someone else's login server (Figure 2), then the ring through the
 *   bootstrap peers it names (Figure 3).
 * - `resume`: the certificate kept in DIR/peer, the hosted login server if any, and the ring
 *   through the peers this phone last saw (a login server only names peers at login).
 *
 * Every way either returns a running session or stops what it started and throws.
 */
export class NetworkSession {
  private stopped = false;
  /** What the identity layer can run here, and so switch to (joinRing registers each of them). */
  readonly identityAlgorithms: readonly string[] = identityAlgorithms().algorithms('identity');
  /** The hosted network's echo test (hosted-echo.ts), started once the ring has this node. */
  private echo: Promise<HostedEcho | undefined> | undefined;

  private constructor(
    readonly node: PeerNode,
    /** The identity layer: its active algorithm, its epoch and the phase of a switch. */
    readonly identity: IdentityLayer,
    readonly loginServer: LoginServer | undefined,
    readonly network: NetworkMemory,
    /** Something the person should know although the phone works (it started a ring alone). */
    readonly warning: string | null,
    /** The presence feature layer (contacts' online state, pushed); undefined if it could not start. */
    readonly presence?: PresenceOverlay,
    /** The device layer (this device's profile among the others'); undefined if it could not start. */
    readonly devices?: DeviceLayer,
  ) {}

  /** The identity layer as one overlay, following its active algorithm (what calls and lookups use). */
  get overlay(): Overlay {
    return this.identity.view;
  }

  static async create(options: SessionOptions, input: CreateOptions): Promise<NetworkSession> {
    const dir = options.folders.network;
    // A login server from an earlier network (or an attempt that broke off): set it aside, never delete a CA.
    if (existsSync(dir)) await rename(dir, asidePath(dir, 'previous'));
    let ls: LoginServer | undefined;
    let node: PeerNode | undefined;
    try {
      await initLoginServer(dir, {
        domain: input.domain,
        listen: `${options.host}:${input.loginServerPort}`,
        refreshRate: input.refreshSeconds,
      });
      ls = await startLoginServer(dir, options, input.loginServerPort);
      ls.store.addUser(input.user, input.domain, input.password);
      node = await openNode(options);
      await node.login({
        loginServer: ls.uri,
        aor: `sip:${input.user}@${input.domain}`,
        password: input.password,
        timeoutMs: options.loginTimeoutMs,
      });
      const identity = await joinRing(node, options, []);
      const presence = await joinPresence(node, options, []);
      const devices = await joinDevices(node, options, []);
      announceAsBootstrap(ls, node);
      const network = {
        loginServer: ls.uri,
        domain: ls.config.domain,
        hosted: true,
        refreshRate: node.refreshRate,
      };
      return new NetworkSession(node, identity, ls, network, null, presence, devices).startEcho(options);
    } catch (error) {
      node?.stop();
      ls?.stop();
      // Nobody knows this network yet: nothing is lost by removing it, and the next try starts clean.
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
  }

  static async join(options: SessionOptions, input: JoinNetworkInput): Promise<NetworkSession> {
    const node = await openNode(options);
    try {
      await node.login({
        loginServer: input.loginServer,
        aor: input.user,
        password: input.password,
        caFingerprint: input.caFingerprint,
        timeoutMs: options.loginTimeoutMs,
      });
      const named = node.bootstrap.length;
      let alone: string | undefined;
      const identity = await joinRing(node, options, undefined, (why) => (alone = why));
      const refusal = alone === undefined ? undefined : certificateRefusal(alone);
      if (refusal) throw refusal;
      const presence = await joinPresence(node, options, undefined);
      const devices = await joinDevices(node, options, undefined);
      const warning =
        alone !== undefined && named > 0
          ? `None of the peers the login server named could be joined (${alone}); this phone started a ring of its own, so calls reach only the phones that join after it.`
          : null;
      const domain = node.identity.aor.slice(node.identity.aor.lastIndexOf('@') + 1);
      const network = {
        loginServer: input.loginServer,
        domain,
        hosted: false,
        refreshRate: node.refreshRate,
      };
      return new NetworkSession(node, identity, undefined, network, warning, presence, devices);
    } catch (error) {
      node.stop();
      throw error;
    }
  }

  static async resume(
    options: SessionOptions,
    remembered: NetworkMemory,
    ringPeers: NodeRef[],
    loginServerPort: number,
  ): Promise<NetworkSession> {
    let ls: LoginServer | undefined;
    let node: PeerNode | undefined;
    try {
      if (remembered.hosted) ls = await startLoginServer(options.folders.network, options, loginServerPort);
      node = await openNode(options);
      const kept = node.keystore.hasIdentity() ? node.keystore.identity() : undefined;
      if (!kept?.certPem) throw new Error('The key store has no certificate: join or create a network again');
      if (ls) await keepHostedIdentityFresh(ls, node);
      const certificate = describeCertificate(node.keystore.identity().certPem!);
      if (certificate.notAfter.getTime() <= Date.now()) throw certificateExpired(certificate.notAfter);
      if (!(await node.resume()))
        throw new Error('The certificate kept in this data folder could not be used');
      node.refreshRate = ls?.config.refreshRate ?? remembered.refreshRate ?? node.refreshRate;
      let alone: string | undefined;
      const bootstrap = ringPeers.filter((p) => p.id !== certificate.nodeId && p.url !== node!.uri);
      const layer = await joinRing(node, options, bootstrap, (why) => (alone = why));
      const refusal = alone === undefined ? undefined : certificateRefusal(alone);
      if (refusal) throw refusal;
      const presence = await joinPresence(node, options, bootstrap);
      const devices = await joinDevices(node, options, bootstrap);
      if (ls) announceAsBootstrap(ls, node);
      // The hosting phone is the ring's anchor: when nobody else is up it is the ring. Anyone
      // else alone has lost the network until a peer it knows comes back.
      const warning =
        alone !== undefined && !ls
          ? 'None of the peers this phone knew answered, so it started a ring of its own: calls reach only the phones that join through it. Join the network again to be pointed at live peers.'
          : null;
      const network = {
        ...remembered,
        loginServer: ls?.uri ?? remembered.loginServer,
        refreshRate: node.refreshRate,
      };
      const session = new NetworkSession(node, layer, ls, network, warning, presence, devices);
      return ls ? session.startEcho(options) : session;
    } catch (error) {
      node?.stop();
      ls?.stop();
      throw error;
    }
  }

  /** The echo test, in the background: the phone is ready without waiting for it. */
  private startEcho(options: SessionOptions): this {
    const ls = this.loginServer;
    if (!ls) return this;
    this.echo = HostedEcho.start(ls, {
      networkDir: options.folders.network,
      passphrase: options.passphrase,
      host: options.host,
      refreshSeconds: this.node.refreshRate,
      trace: options.trace,
      onError: options.onError,
    }).catch((error: unknown) => {
      options.onError(new Error(`The echo test did not start: ${(error as Error).message}`));
      return undefined;
    });
    void this.echo.then((echo) => {
      if (this.stopped) echo?.stop();
    });
    return this;
  }

  /** Housekeeping every refresh period: stay the hosted network's bootstrap, publish state.json. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.loginServer) announceAsBootstrap(this.loginServer, this.node);
    await writePeerState(this.node.dataDir, this.node, this.overlay);
  }

  /** This node and the echo test fetch the revocation list now (a user was just removed). */
  async refreshRevocations(): Promise<void> {
    const echo = await this.echo;
    await Promise.all([
      this.node.refreshRevocations(this.network.loginServer).catch(() => false),
      echo?.refreshRevocations(this.network.loginServer),
    ]);
  }

  /** Graceful: calls hung up, neighbours told, bindings handed over; then everything stops. */
  async leave(): Promise<void> {
    if (this.stopped) return;
    // One after the other: two neighbours leaving at once can leave the peer between them
    // pointing at a node that is itself on its way out.
    const echo = await this.echo;
    await echo?.leave();
    await this.node.leave().catch(() => undefined);
    this.stop();
  }

  /** At once (safe twice). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.echo?.then((echo) => echo?.stop());
    this.node.stop();
    this.loginServer?.stop();
  }
}

async function openNode(options: SessionOptions): Promise<PeerNode> {
  const open = (port: number) =>
    PeerNode.open({
      dataDir: options.folders.peer,
      passphrase: options.passphrase,
      host: options.host,
      port,
      trace: options.trace,
      onError: options.onError,
    });
  try {
    return await open(options.sipPort);
  } catch (error) {
    // The port the phone used last time is taken (another phone on this computer): any will do,
    // the ring learns the new address when this node joins.
    if (error instanceof PortInUseError && options.sipPort !== 0) return open(0);
    throw error;
  }
}

async function startLoginServer(dir: string, options: SessionOptions, port: number): Promise<LoginServer> {
  const ls = await LoginServer.open(dir);
  const start = (p: number) =>
    ls.start({ host: options.host, port: p, trace: options.trace, onError: options.onError });
  try {
    try {
      await start(port);
    } catch (error) {
      if (!(error instanceof PortInUseError) || port === 0) throw error;
      await start(0);
    }
    return ls;
  } catch (error) {
    ls.stop();
    throw error;
  }
}

/**
 * The identity layer, starting on chord, with every overlay's news going to the phone
 * (`delegate`). The registry is the app's (identity-layer.ts) with each factory wrapped, so that
 * the layer can switch to any of its algorithms (a SwitchLayer names one) and the network screen
 * still hears the new overlay's neighbours change.
 */
function joinRing(
  node: PeerNode,
  options: SessionOptions,
  bootstrap: NodeRef[] | undefined,
  onStartedAlone?: (why: string) => void,
): Promise<IdentityLayer> {
  const algorithms = identityAlgorithms({ refreshMs: node.refreshRate * 1000 });
  const registry = new OverlayRegistry();
  for (const name of algorithms.algorithms('identity')) {
    const factory: OverlayFactory = algorithms.factory('identity', name);
    registry.register('identity', name, (components) =>
      factory({ ...components, delegate: options.delegate }),
    );
  }
  return joinIdentity(node, { registry, bootstrap, onStartedAlone });
}

/**
 * The device layer (docs/PROTOCOL.md section 12): this desktop's profile beside the other
 * devices'. A phone without it still calls; its autopilot then counts no constrained devices.
 */
async function joinDevices(
  node: PeerNode,
  options: SessionOptions,
  bootstrap: NodeRef[] | undefined,
): Promise<DeviceLayer | undefined> {
  try {
    return await DeviceLayer.join(node, {
      form: 'desktop',
      bootstrap,
      onStartedAlone: (why) => options.onError(new Error(why)),
    });
  } catch (error) {
    options.onError(new Error(`The device layer is not available: ${(error as Error).message}`));
    return undefined;
  }
}

/**
 * The presence feature layer, through the same bootstrap peers as the identity ring but in a
 * ring of its own. A phone without it still calls; its contacts' dots stay unknown, and it says
 * why in the log.
 */
async function joinPresence(
  node: PeerNode,
  options: SessionOptions,
  bootstrap: NodeRef[] | undefined,
): Promise<PresenceOverlay | undefined> {
  try {
    return await joinPresenceLayer(node, {
      bootstrap,
      onError: () => undefined,
      onStartedAlone: (why) => options.onError(new Error(why)),
    });
  } catch (error) {
    options.onError(new Error(`Presence is not available: ${(error as Error).message}`));
    return undefined;
  }
}

/**
 * The login server names the peers that logged in recently as bootstrap peers; after a restart
 * it has seen none, so the hosting phone names itself, as the issue's "a bootstrap peer inside
 * itself". Renewed every refresh period so that it stays among the newest.
 */
function announceAsBootstrap(ls: LoginServer, node: PeerNode): void {
  const { nodeId, aor } = node.identity;
  ls.context.recentPeers.delete(nodeId);
  ls.context.recentPeers.set(nodeId, { nodeId, nodeUrl: node.uri, aor, at: Date.now() });
}

/**
 * A phone that hosts its network is its own CA: rather than ask for a password nobody stored,
 * it issues itself a new certificate when the old one is about to expire, records it as the
 * login server would, and points peer.json at the login server's current address.
 */
async function keepHostedIdentityFresh(ls: LoginServer, node: PeerNode): Promise<void> {
  const identity = node.keystore.identity();
  if (!identity.certPem || !identity.aor) return;
  const current = describeCertificate(identity.certPem);
  if (current.notAfter.getTime() - Date.now() < RENEW_BEFORE_MS) {
    const issued = issueCertificate({
      ca: { certPem: ls.caCertificate, keyPem: ls.context.ca.keyPem },
      aor: identity.aor,
      publicKeyPem: identity.publicKeyPem,
      validitySeconds: ls.config.certificateValidityDays * 86_400,
    });
    ls.store.recordCertificate({
      serial: issued.serial,
      aor: identity.aor,
      nodeId: issued.nodeId,
      fingerprint: issued.fingerprint,
      notBefore: issued.notBefore.getTime(),
      notAfter: issued.notAfter.getTime(),
      pem: issued.certPem,
    });
    await node.keystore.saveCertificate(issued.certPem, ls.caCertificate);
  }
  const settings = await node.settings();
  if (settings?.loginServer !== ls.uri) {
    const kept: PeerSettings = {
      loginServer: ls.uri,
      aor: identity.aor,
      caFingerprint: fingerprintOf(ls.caCertificate),
    };
    await writeFileAtomic(join(node.dataDir, 'peer.json'), JSON.stringify(kept, null, 2) + '\n', 0o600);
  }
}
