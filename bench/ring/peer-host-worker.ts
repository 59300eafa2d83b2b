/**
 * A peer host of the ring and identity benchmarks: up to 50 real PeerNodes in one process, each
 * with its own key store and UDP socket on 127.0.0.1, logging in to the real login server and
 * joining the identity layer through joinIdentity exactly as `chordline peer` does, with either of
 * its algorithms, and switching between them when a CA-signed SwitchLayer reaches it. Run by
 * worker-host.ts; the operations are listed in ring-protocol.ts.
 */
import { join } from 'node:path';
import { identityAlgorithms, joinIdentity } from '../../src-main/app/identity-layer.ts';
import type { IdentityLayer } from '../../src-main/app/identity/identity-layer.ts';
import { ownerFinder } from '../../src-main/app/lab/measure-lookups.ts';
import { within } from '../../src-main/app/lab/wait-until.ts';
import { PeerNode } from '../../src-main/app/peer-node.ts';
import type { Overlay } from '../../src-main/overlay/overlay.ts';
import { OverlayRegistry } from '../../src-main/overlay/overlay-registry.ts';
import { Prng } from '../../src-main/overlay/sim/prng.ts';
import { serveWorker } from '../worker-serve.ts';
import { placeholderSdp } from '../../src-main/app/calls/index.ts';
import type {
  AnnounceAnswer,
  AnnounceArgs,
  CallSetupAnswer,
  CallSetupArgs,
  JoinArgs,
  LeaveArgs,
  LoginArgs,
  LookupAnswer,
  LookupArgs,
  NodeRef,
  OpenArgs,
  OverlayState,
  PeerSwitchStatus,
  RegistrationAnswer,
  RegistrationArgs,
  RingAccount,
  StretchArgs,
  SwitchStatusArgs,
  TrafficReading,
} from './ring-protocol.ts';
import { CALL_SETUP_OPERATION } from './ring-protocol.ts';
import { StretchableTimers } from './stretchable-timers.ts';

const LOGIN_TIMEOUT_MS = 10_000;
const JOIN_TIMEOUT_MS = 30_000;
const LEAVE_TIMEOUT_MS = 10_000;
const LOOKUP_DEADLINE_MS = 10_000;
/** Key pairs generated at once in this host (four hosts share two cores). */
const KEY_PARALLELISM = 2;

interface HostedPeer {
  account: RingAccount;
  node: PeerNode;
  /** Set while the peer is in the identity layer; `overlay` is its view (the active algorithm). */
  layer?: IdentityLayer;
  overlay?: Overlay;
}

const peers = new Map<string, HostedPeer>();
const timers = new StretchableTimers();
let registry: OverlayRegistry | undefined;
/** The identity layer's refresh period here (the lab's, not the login server's 60 s): its switch waits in periods. */
let layerRefreshMs = 60_000;

function peer(name: string): HostedPeer {
  const found = peers.get(name);
  if (!found) throw new Error(`no peer ${name} in this host`);
  return found;
}

type JoinedPeer = HostedPeer & { layer: IdentityLayer; overlay: Overlay };

function joined(): JoinedPeer[] {
  return [...peers.values()].filter((p): p is JoinedPeer => p.overlay !== undefined && p.layer !== undefined);
}

serveWorker(
  {
    async open({ folder, peers: accounts, refreshMs, hopTimeoutMs }: OpenArgs): Promise<{ opened: number }> {
      // The identity layer's own algorithms (one attempt per hop over SIP) with the lab's
      // periods, their refresh timers on stretchable timers. Both are registered, as in a real
      // peer, so that a switch can start the other one.
      const algorithms = identityAlgorithms({ refreshMs, hopTimeoutMs });
      registry = new OverlayRegistry();
      for (const name of algorithms.algorithms('identity')) {
        const factory = algorithms.factory('identity', name);
        registry.register('identity', name, (components) =>
          factory({ ...components, schedule: (ms, task) => timers.schedule(ms, task) }),
        );
      }
      layerRefreshMs = refreshMs;
      for (const account of accounts) {
        const node = await PeerNode.open({
          dataDir: join(folder, account.name),
          passphrase: account.password,
          host: '127.0.0.1',
          port: 0,
        });
        peers.set(account.name, { account, node });
      }
      const queue = [...peers.values()];
      await Promise.all(
        Array.from({ length: KEY_PARALLELISM }, async () => {
          for (let next = queue.shift(); next; next = queue.shift())
            await next.node.keystore.generateIdentity();
        }),
      );
      return { opened: peers.size };
    },

    async login({ name, loginServer, caFingerprint }: LoginArgs): Promise<void> {
      const { node, account } = peer(name);
      await node.login({
        loginServer,
        aor: account.aor,
        password: account.password,
        caFingerprint,
        timeoutMs: LOGIN_TIMEOUT_MS,
      });
      // Every peer answers at once, like `chordline peer --auto-answer`.
      node.calls.onIncoming = (call) => call.answer(placeholderSdp('127.0.0.1'));
    },

    async join({ name, bootstrap, algorithm }: JoinArgs): Promise<NodeRef> {
      const hosted = peer(name);
      if (!registry) throw new Error('open first');
      const startedAlone: string[] = [];
      hosted.layer = await within(
        joinIdentity(hosted.node, {
          algorithm,
          registry,
          bootstrap,
          refreshMs: layerRefreshMs,
          onStartedAlone: (why) => startedAlone.push(why),
        }),
        JOIN_TIMEOUT_MS,
        () => {
          throw new Error(`${name} did not finish joining within ${JOIN_TIMEOUT_MS / 1000} s`);
        },
      );
      hosted.overlay = hosted.layer.view;
      if (startedAlone.length > 0) throw new Error(`${name} started a ring of its own: ${startedAlone[0]}`);
      return hosted.overlay.self;
    },

    async leave({ name }: LeaveArgs): Promise<void> {
      const hosted = peer(name);
      // Out of every reading at once: a peer that has left sends nothing and holds no table.
      hosted.layer = undefined;
      hosted.overlay = undefined;
      await within(hosted.node.leave(), LEAVE_TIMEOUT_MS, () => hosted.node.stop());
    },

    async announce({ name, message }: AnnounceArgs): Promise<AnnounceAnswer> {
      const layer = peer(name).layer;
      if (!layer) throw new Error(`${name} is not in the identity layer`);
      const reply = await layer.announce(message);
      return reply.ok ? { ok: true } : { ok: false, status: reply.status, reason: reply.reason };
    },

    switchStatus({ epoch, since }: SwitchStatusArgs): PeerSwitchStatus[] {
      return joined().map(({ account, layer }) => {
        const news = layer.switches.find((s) => s.epoch === epoch);
        const after = layer.phase.history.filter((h) => h.at >= since);
        const at = (phase: string) => after.find((h) => h.phase === phase)?.at;
        return {
          name: account.name,
          algorithm: layer.active.algorithm,
          phase: layer.phase.name,
          outcome: news?.outcome,
          reason: news?.reason,
          heardAt: at('joining'),
          joinedAt: at('checking'),
          movedAt: at('moved'),
          steadyAt: at('steady'),
        };
      });
    },

    states(): OverlayState[] {
      return joined().map((p) => p.overlay.state());
    },

    traffic(): TrafficReading {
      const reading: TrafficReading = {
        peers: 0,
        sent: 0,
        received: 0,
        bytesSent: 0,
        bytesReceived: 0,
        requests: 0,
      };
      // A peer that left still counts what it sent before (its counters no longer move), so that
      // differences between two readings stay right; it no longer counts as a peer.
      for (const { node, overlay } of peers.values()) {
        const s = node.stack.stats;
        if (overlay) reading.peers++;
        reading.sent += s.sent;
        reading.received += s.received;
        reading.bytesSent += s.bytesSent;
        reading.bytesReceived += s.bytesReceived;
        reading.requests += s.clientTransactions;
      }
      return reading;
    },

    async lookups({ ids, perPeer, seed, stopAtFirstFailure }: LookupArgs): Promise<LookupAnswer> {
      const owner = ownerFinder(ids);
      const random = new Prng(seed);
      const answer: LookupAnswer = { lookups: 0, failures: 0, hops: [], latenciesMs: [], failed: [] };
      const fail = (why: string) => {
        answer.failures++;
        if (answer.failed.length < 5) answer.failed.push(why);
      };
      for (const { account, overlay } of joined()) {
        for (let k = 0; k < perPeer; k++) {
          const key = random.id();
          const want = owner(key);
          const started = performance.now();
          answer.lookups++;
          try {
            const result = await within(overlay.route(key), LOOKUP_DEADLINE_MS, () => {
              throw new Error(`no answer within ${LOOKUP_DEADLINE_MS / 1000} s`);
            });
            if (result.owner.id === want) {
              answer.hops.push(result.hops);
              answer.latenciesMs.push(performance.now() - started);
            } else {
              fail(
                `${account.name}: ${key.slice(0, 8)} → ${result.owner.id.slice(0, 8)}, owner ${want.slice(0, 8)}`,
              );
            }
          } catch (error) {
            fail(`${account.name}: ${key.slice(0, 8)}: ${(error as Error).message}`);
          }
          if (stopAtFirstFailure && answer.failures > 0) return answer;
        }
      }
      return answer;
    },

    async registrations({ items }: RegistrationArgs): Promise<RegistrationAnswer> {
      const answer: RegistrationAnswer = { checked: 0, found: 0, missing: [], latenciesMs: [] };
      for (const { asker, aor, nodeId } of items) {
        answer.checked++;
        const overlay = peer(asker).overlay;
        let why = 'the asking peer is not in the ring';
        if (overlay) {
          try {
            const started = performance.now();
            const bindings = await within(overlay.get(aor), LOOKUP_DEADLINE_MS, () => {
              throw new Error(`no answer within ${LOOKUP_DEADLINE_MS / 1000} s`);
            });
            if (bindings.some((b) => b.nodeId === nodeId)) {
              answer.found++;
              answer.latenciesMs.push(performance.now() - started);
              continue;
            }
            why = bindings.length === 0 ? 'no binding' : 'no binding of its device';
          } catch (error) {
            why = (error as Error).message;
          }
        }
        if (answer.missing.length < 5) answer.missing.push(`${aor} (asked from ${asker}): ${why}`);
      }
      return answer;
    },

    stretchRefresh({ factor }: StretchArgs): void {
      timers.stretch(factor);
    },

    async [CALL_SETUP_OPERATION]({ pairs }: CallSetupArgs): Promise<CallSetupAnswer> {
      const answer: CallSetupAnswer = { calls: 0, failures: 0, setupMs: [], hops: [], failed: [] };
      for (const { caller, callee } of pairs) {
        answer.calls++;
        const started = performance.now();
        const call = peer(caller).node.dial(callee, {
          sdp: placeholderSdp('127.0.0.1'),
          ringTimeoutMs: 15_000,
        });
        if (await call.answered) {
          answer.setupMs.push(performance.now() - started);
          if (call.hops !== undefined) answer.hops.push(call.hops);
          call.hangup();
        } else {
          answer.failures++;
          const end = await call.ended;
          if (answer.failed.length < 5)
            answer.failed.push(`${caller} → ${callee}: ${end.status} ${end.reason}`);
        }
        await call.ended;
      }
      return answer;
    },
  },
  () => {
    for (const { node } of peers.values()) node.stop();
  },
);
