import { randomBytes } from 'node:crypto';
import type { RingProblem } from '../../src-main/overlay/chord/index.ts';
import type { Prng } from '../../src-main/overlay/sim/prng.ts';
import { tempFolders } from '../temp-folders.ts';
import { Worker } from '../worker-host.ts';
import { overlayProblems } from './overlay-problems.ts';
import { CALL_SETUP_OPERATION } from './ring-protocol.ts';
import type {
  AnnounceAnswer,
  CallSetupAnswer,
  LookupAnswer,
  NodeRef,
  OpenArgs,
  OverlayState,
  PeerSwitchStatus,
  RegistrationAnswer,
  RegistrationArgs,
  RingAccount,
  SwitchLayer,
  TrafficReading,
} from './ring-protocol.ts';
import type { RingLoginServer, SwitchOrder } from './ring-login-server-worker.ts';

export const RING_DOMAIN = 'ring.bench';

/** One peer of the ring, as the parent knows it. */
export interface RingMember extends RingAccount {
  host: number;
  /** Set once joined. */
  ref?: NodeRef;
  status: 'opened' | 'up' | 'killed' | 'left';
}

export interface ClusterOptions {
  peers: number;
  hosts: number;
  refreshMs: number;
  hopTimeoutMs: number;
}

/**
 * The ring benchmark's processes: a login server and `hosts` peer hosts (peer-host-worker.ts),
 * the peers dealt round-robin over the hosts. Everything the benchmarks ask of the ring goes
 * through here: log in, join and leave one peer, read every peer's tables or SIP counters, look
 * keys up, fetch registrations, stretch the refresh, switch the identity algorithm, kill hosts. `stop()` ends every process and removes
 * the peers' folders (a host killed with SIGKILL cannot).
 */
export class RingCluster {
  readonly members: RingMember[];
  /**
   * The identity algorithm newcomers join with: the one the ring runs. The identity benchmark
   * sets it after each switch.
   */
  algorithm = 'chord';
  readonly #folders = tempFolders();
  readonly #hosts: Worker[] = [];
  readonly #dead = new Set<number>();
  #ls: Worker | undefined;
  #loginServer: RingLoginServer | undefined;

  private constructor(readonly options: ClusterOptions) {
    const digits = String(options.peers).length;
    this.members = Array.from({ length: options.peers }, (_, i) => {
      const name = `peer${String(i + 1).padStart(digits, '0')}`;
      return {
        name,
        aor: `sip:${name}@${RING_DOMAIN}`,
        password: randomBytes(12).toString('base64url'),
        host: i % options.hosts,
        status: 'opened' as const,
      };
    });
  }

  /** Starts the login server and the hosts, and opens every peer (key pair and key store). */
  static async start(options: ClusterOptions): Promise<RingCluster> {
    const cluster = new RingCluster(options);
    try {
      cluster.#ls = await Worker.start('ring login server', './ring/ring-login-server-worker.ts');
      cluster.#loginServer = await cluster.#ls.call<RingLoginServer>(
        'start',
        { domain: RING_DOMAIN, users: cluster.members },
        120_000,
      );
      for (let h = 0; h < options.hosts; h++)
        cluster.#hosts.push(await Worker.start(`peer host ${h + 1}`, './ring/peer-host-worker.ts'));
      const folder = cluster.#folders.make('ring');
      await Promise.all(
        cluster.#hosts.map((host, h) =>
          host.call(
            'open',
            {
              folder,
              peers: cluster.members
                .filter((m) => m.host === h)
                .map(({ name, aor, password }) => ({ name, aor, password })),
              refreshMs: options.refreshMs,
              hopTimeoutMs: options.hopTimeoutMs,
            } satisfies OpenArgs,
            600_000,
          ),
        ),
      );
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** The RefreshRate (seconds) the login server gives at login: the peers' binding refresh. */
  get loginRefreshSeconds(): number {
    return this.#loginServer!.refreshRate;
  }

  up(): RingMember[] {
    return this.members.filter((m) => m.status === 'up');
  }

  /** Figure 2 (b): digest login at the login server (certificate and bootstrap list). */
  async login(member: RingMember): Promise<void> {
    const ls = this.#loginServer!;
    await this.#host(member.host).call('login', {
      name: member.name,
      loginServer: ls.uri,
      caFingerprint: ls.caFingerprint,
    });
  }

  /** Figure 3: the join through `bootstrap` (none: the first peer creates the ring), and the first binding. */
  async join(member: RingMember, bootstrap: NodeRef[]): Promise<void> {
    member.ref = await this.#host(member.host).call<NodeRef>(
      'join',
      { name: member.name, bootstrap, algorithm: this.algorithm },
      60_000,
    );
    member.status = 'up';
  }

  /** A graceful leave: the peer tells the overlay and hands its bindings over, then stops. */
  async leave(member: RingMember): Promise<void> {
    member.status = 'left';
    await this.#host(member.host).call('leave', { name: member.name }, 30_000);
  }

  /** Three random peers of the ring, as a login server's bootstrap list. */
  bootstrapFor(prng: Prng): NodeRef[] {
    return prng
      .shuffle(this.up())
      .slice(0, 3)
      .map((m) => m.ref!);
  }

  /** Every live peer's identity overlay tables (the active algorithm's). */
  async states(): Promise<OverlayState[]> {
    return (await this.#each<OverlayState[]>('states')).flat();
  }

  /** Every live peer's tables, checked against what the sorted NodeIDs say (overlay-problems.ts). */
  async problems(): Promise<RingProblem[]> {
    return overlayProblems(await this.states(), this.algorithm);
  }

  /** The SIP counters of every live peer, summed over the hosts. */
  async traffic(): Promise<TrafficReading> {
    const readings = await this.#each<TrafficReading>('traffic');
    const sum: TrafficReading = {
      peers: 0,
      sent: 0,
      received: 0,
      bytesSent: 0,
      bytesReceived: 0,
      requests: 0,
    };
    for (const r of readings)
      for (const key of Object.keys(sum) as Array<keyof TrafficReading>) sum[key] += r[key];
    return sum;
  }

  /** The login server's datagram bytes so far. */
  async loginServerTraffic(): Promise<{ bytesSent: number; bytesReceived: number }> {
    return this.#ls!.call('traffic');
  }

  /**
   * `perPeer` random keys from every live peer, each owner checked against the sorted NodeIDs.
   * `parallel` false: one host after another, so that one lookup runs at a time (latency);
   * true: every host at once (a quick check while a ring heals).
   */
  async lookups(
    perPeer: number,
    seed: number,
    options: { parallel?: boolean; stopAtFirstFailure?: boolean } = {},
  ): Promise<LookupAnswer> {
    const ids = this.up().map((m) => m.ref!.id);
    const ask = (host: number) =>
      this.#host(host).call<LookupAnswer>(
        'lookups',
        { ids, perPeer, seed: seed + host, stopAtFirstFailure: options.stopAtFirstFailure },
        600_000,
      );
    const hosts = this.#liveHosts();
    const answers: LookupAnswer[] = [];
    if (options.parallel) answers.push(...(await Promise.all(hosts.map(ask))));
    else for (const h of hosts) answers.push(await ask(h));
    return {
      lookups: answers.reduce((n, a) => n + a.lookups, 0),
      failures: answers.reduce((n, a) => n + a.failures, 0),
      hops: answers.flatMap((a) => a.hops),
      latenciesMs: answers.flatMap((a) => a.latenciesMs),
      failed: answers.flatMap((a) => a.failed).slice(0, 5),
    };
  }

  /**
   * `count` calls between random pairs of live peers (the callee's AOR), one at a time in the
   * whole ring: one host after another, each placing its callers' calls.
   */
  async callSetup(count: number, prng: Prng): Promise<CallSetupAnswer> {
    const up = this.up();
    const byHost = new Map<number, Array<{ caller: string; callee: string }>>();
    for (let i = 0; i < count; i++) {
      const caller = up[prng.below(up.length)];
      const callee = up[(up.indexOf(caller) + 1 + prng.below(up.length - 1)) % up.length];
      const pairs = byHost.get(caller.host) ?? [];
      pairs.push({ caller: caller.name, callee: callee.aor });
      byHost.set(caller.host, pairs);
    }
    const answers: CallSetupAnswer[] = [];
    for (const [host, pairs] of byHost) {
      answers.push(await this.#host(host).call<CallSetupAnswer>(CALL_SETUP_OPERATION, { pairs }, 600_000));
    }
    return {
      calls: answers.reduce((n, a) => n + a.calls, 0),
      failures: answers.reduce((n, a) => n + a.failures, 0),
      setupMs: answers.flatMap((a) => a.setupMs),
      hops: answers.flatMap((a) => a.hops),
      failed: answers.flatMap((a) => a.failed).slice(0, 5),
    };
  }

  /**
   * Every live peer's registration (its binding), fetched by another live peer picked at random.
   * `parallel` false: one host after another, so that one fetch runs at a time (latency).
   */
  async registrations(prng: Prng, options: { parallel?: boolean } = {}): Promise<RegistrationAnswer> {
    const up = this.up();
    const byAsker = new Map<number, Array<{ asker: string; aor: string; nodeId: string }>>();
    up.forEach((member, i) => {
      const asker = up[(i + 1 + prng.below(up.length - 1)) % up.length];
      const items = byAsker.get(asker.host) ?? [];
      items.push({ asker: asker.name, aor: member.aor, nodeId: member.ref!.id });
      byAsker.set(asker.host, items);
    });
    const ask = ([host, items]: [number, RegistrationArgs['items']]) =>
      this.#host(host).call<RegistrationAnswer>('registrations', { items }, 600_000);
    const answers: RegistrationAnswer[] = [];
    if (options.parallel ?? true) answers.push(...(await Promise.all([...byAsker].map(ask))));
    else for (const entry of byAsker) answers.push(await ask(entry));
    return {
      checked: answers.reduce((n, a) => n + a.checked, 0),
      found: answers.reduce((n, a) => n + a.found, 0),
      missing: answers.flatMap((a) => a.missing).slice(0, 5),
      latenciesMs: answers.flatMap((a) => a.latenciesMs),
    };
  }

  /** A switch announcement signed by the login server's CA. */
  async switchAnnouncement(order: SwitchOrder): Promise<SwitchLayer> {
    return this.#ls!.call<SwitchLayer>('switchAnnouncement', order);
  }

  /** The announcement handed to one peer, as the operator's tool on its machine would. */
  async announce(member: RingMember, message: SwitchLayer): Promise<AnnounceAnswer> {
    return this.#host(member.host).call<AnnounceAnswer>('announce', { name: member.name, message });
  }

  /** Where every live peer stands in the switch of `epoch`, announced at Date.now() `since`. */
  async switchStatus(epoch: number, since: number): Promise<PeerSwitchStatus[]> {
    return (await this.#each<PeerSwitchStatus[]>('switchStatus', { epoch, since })).flat();
  }

  /** Every live peer's refresh period becomes `factor` times the ring's (see stretchable-timers.ts). */
  async stretchRefresh(factor: number): Promise<void> {
    await this.#each('stretchRefresh', { factor });
  }

  /** kill -9 of whole hosts: their peers vanish at once, telling no one. */
  kill(hosts: number[]): RingMember[] {
    const victims: RingMember[] = [];
    for (const h of hosts) {
      this.#hosts[h].child.kill('SIGKILL');
      this.#dead.add(h);
      for (const m of this.members) {
        if (m.host !== h || m.status !== 'up') continue;
        m.status = 'killed';
        victims.push(m);
      }
    }
    return victims;
  }

  /** Every process stopped and the peers' folders removed. Safe twice. */
  async stop(): Promise<void> {
    await Promise.all([...this.#hosts.map((h) => h.stop()), this.#ls?.stop()]);
    this.#folders.removeAll();
  }

  #host(h: number): Worker {
    if (this.#dead.has(h)) throw new Error(`peer host ${h + 1} was killed`);
    return this.#hosts[h];
  }

  #liveHosts(): number[] {
    return this.#hosts.map((_, h) => h).filter((h) => !this.#dead.has(h));
  }

  async #each<T>(op: string, args: unknown = {}): Promise<T[]> {
    return Promise.all(this.#liveHosts().map((h) => this.#hosts[h].call<T>(op, args, 120_000)));
  }
}
