import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveChordSettings } from '../../overlay/chord/index.ts';
import type { ChordSettings, ResolvedChordSettings } from '../../overlay/chord/index.ts';
import type { Overlay } from '../../overlay/overlay.ts';
import { OverlayRegistry } from '../../overlay/overlay-registry.ts';
import { initLoginServer, LoginServer } from '../../trust/login-server/index.ts';
import { identityAlgorithms, joinIdentity } from '../identity-layer.ts';
import type { IdentityLayer } from '../identity/identity-layer.ts';
import { PeerNode } from '../peer-node.ts';
import { ChangeSignal } from './change-signal.ts';
import { LabInterruptedError, LabSetupError } from './lab-errors.ts';
import { within } from './wait-until.ts';

export const LAB_DOMAIN = 'lab.test';
const HOST = '127.0.0.1';
const LOGIN_TIMEOUT_MS = 10_000;
const JOIN_TIMEOUT_MS = 30_000;
const LEAVE_TIMEOUT_MS = 10_000;

/** A user the lab's login server knows. */
export interface LabAccount {
  /** peer01, peer02, ... (the order the users were added, not the join order). */
  name: string;
  aor: string;
  password: string;
}

/**
 * One peer of the lab. Its life:
 *
 *   opened ──generateKey()──▶ keyed ──join()──▶ up ──leave()──▶ left
 *                                               └───kill()───▶ killed
 */
export interface LabMember extends LabAccount {
  node: PeerNode;
  /** Set once joined: the identity layer's view, which follows its active algorithm. */
  overlay?: Overlay;
  /** Set once joined: the identity layer itself (its algorithm, its switch). */
  layer?: IdentityLayer;
  status: 'opened' | 'keyed' | 'up' | 'left' | 'killed';
}

/** A member that joined the ring. */
export type JoinedMember = LabMember & { overlay: Overlay };

/**
 * The lab's network in one process, all on 127.0.0.1: a real login server (its own CA and
 * account database in a temp folder) and real PeerNodes, each with its own UDP socket and key
 * store, each logging in with digest and joining the identity overlay through joinIdentityLayer,
 * exactly as `chordline peer` does, only with a shorter refresh.
 *
 * `stop()` is synchronous and safe to call twice, so that Ctrl-C can tear everything down at
 * once: every socket and timer, the login server, and the temp folder.
 */
export class LabNetwork {
  readonly members: LabMember[] = [];
  /** Announced whenever any node's successor, predecessor or fingers change. */
  readonly changes = new ChangeSignal();
  readonly chord: ResolvedChordSettings;
  /** Failures of the peers' background tasks (binding refresh, revocation refresh). */
  readonly backgroundErrors: string[] = [];
  /** Peers that could not join through anyone and started a ring of their own (a partition). */
  readonly startedAlone: string[] = [];
  private ls: LoginServer | undefined;
  private readonly registry: OverlayRegistry;
  private stopped = false;

  private constructor(
    readonly folder: string,
    settings: ChordSettings,
  ) {
    this.chord = resolveChordSettings(settings);
    // The same factories joinIdentityLayer would use (both algorithms, so that the lab can
    // switch), with a delegate that tells the lab when tables change: the ring check waits for
    // news instead of polling blindly.
    const algorithms = identityAlgorithms(settings);
    this.registry = new OverlayRegistry();
    for (const name of algorithms.algorithms('identity')) {
      const factory = algorithms.factory('identity', name);
      this.registry.register('identity', name, (components) =>
        factory({ ...components, delegate: { onNeighboursChanged: () => this.changes.notify() } }),
      );
    }
  }

  /** Makes the temp folder; nothing listens yet. */
  static create(settings: ChordSettings): LabNetwork {
    return new LabNetwork(mkdtempSync(join(tmpdir(), 'chordline-lab-')), settings);
  }

  get loginServer(): LoginServer {
    if (!this.ls) throw new LabSetupError('The lab login server has not started');
    return this.ls;
  }

  /** A login server on a free port, with `peers` users (peer01...) and their random passwords. */
  async startLoginServer(peers: number): Promise<LabAccount[]> {
    const dir = join(this.folder, 'login-server');
    await initLoginServer(dir, { domain: LAB_DOMAIN, listen: `${HOST}:0` });
    const ls = await LoginServer.open(dir);
    this.ls = ls;
    if (this.stopped) {
      ls.stop();
      throw new LabInterruptedError();
    }
    const digits = Math.max(2, String(peers).length);
    const accounts = Array.from({ length: peers }, (_, i): LabAccount => {
      const name = `peer${String(i + 1).padStart(digits, '0')}`;
      return { name, aor: `sip:${name}@${LAB_DOMAIN}`, password: randomBytes(12).toString('base64url') };
    });
    for (const account of accounts) ls.store.addUser(account.name, LAB_DOMAIN, account.password);
    await ls.start({ host: HOST, port: 0 });
    return accounts;
  }

  /** The account's PeerNode: its key store folder and its UDP socket (nobody knows it yet). */
  async addPeer(account: LabAccount): Promise<LabMember> {
    const node = await PeerNode.open({
      dataDir: join(this.folder, account.name),
      passphrase: account.password,
      host: HOST,
      port: 0,
      onError: (error) => this.noteBackgroundError(member, error),
    });
    const member: LabMember = { ...account, node, status: 'opened' };
    this.members.push(member);
    if (this.stopped) {
      node.stop();
      throw new LabInterruptedError();
    }
    return member;
  }

  /** RSA-2048 on libuv's thread pool, and the key encrypted at rest (scrypt): the slow part of a peer. */
  async generateKey(member: LabMember): Promise<void> {
    await member.node.keystore.generateIdentity();
    member.status = 'keyed';
  }

  /**
   * Figure 2 then Figure 3: a digest login (certificate, bootstrap peers: the peers that logged
   * in last, all of them in the ring already since joins go one after another), then the join.
   */
  async join(member: LabMember): Promise<JoinedMember> {
    const ls = this.loginServer;
    try {
      await member.node.login({
        loginServer: ls.uri,
        aor: member.aor,
        password: member.password,
        caFingerprint: ls.caFingerprint,
        timeoutMs: LOGIN_TIMEOUT_MS,
      });
    } catch (error) {
      throw new LabSetupError(`${member.name} could not log in: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const layer = await within(
      joinIdentity(member.node, {
        refreshMs: this.chord.refreshMs,
        registry: this.registry,
        onStartedAlone: (why) => this.startedAlone.push(`${member.name}: ${why}`),
      }),
      JOIN_TIMEOUT_MS,
      () => {
        throw new LabSetupError(`${member.name} did not finish joining within ${JOIN_TIMEOUT_MS / 1000} s`);
      },
    ).catch((error: unknown) => {
      if (error instanceof LabSetupError) throw error;
      throw new LabSetupError(`${member.name} could not join: ${(error as Error).message}`, { cause: error });
    });
    member.layer = layer;
    member.overlay = layer.view;
    member.status = 'up';
    return member as JoinedMember;
  }

  /** No Leave, no handover: the socket just goes away (what kill -9 looks like to the others). */
  kill(member: LabMember): void {
    member.node.stop();
    member.status = 'killed';
  }

  /** Graceful: Leave to predecessor, successors and fingers, bindings handed over, then stop. */
  async leave(member: LabMember): Promise<void> {
    await within(member.node.leave(), LEAVE_TIMEOUT_MS, () => member.node.stop());
    member.status = 'left';
  }

  /** Members in the ring now. */
  up(): JoinedMember[] {
    return this.members.filter((m): m is JoinedMember => m.status === 'up' && m.overlay !== undefined);
  }

  /**
   * Everything down and the folder gone. Synchronous, safe twice, safe half-way through start.
   * Each call removes the folder again: an operation in flight at the first call (a key store
   * being created) may have written into it since.
   */
  stop(): void {
    if (!this.stopped) {
      this.stopped = true;
      for (const member of this.members) member.node.stop();
      this.ls?.stop();
    }
    rmSync(this.folder, { recursive: true, force: true });
  }

  private noteBackgroundError(member: LabMember, error: unknown): void {
    if (this.stopped || member.status !== 'up') return;
    if (this.backgroundErrors.length < 100)
      this.backgroundErrors.push(`${member.name}: ${(error as Error)?.message ?? String(error)}`);
  }
}
