/**
 * A peer host of the ring benchmark: up to 50 real PeerNodes in one process, each with its own key
 * store and UDP socket on 127.0.0.1, logging in to the real login server and joining the identity
 * ring through joinIdentityLayer exactly as `chordline peer` does. Run by worker-host.ts; the
 * operations are listed in ring-protocol.ts.
 */
import { join } from 'node:path';
import { identityAlgorithms, joinIdentityLayer } from '../../src-main/app/identity-layer.ts';
import { ownerFinder } from '../../src-main/app/lab/measure-lookups.ts';
import { within } from '../../src-main/app/lab/wait-until.ts';
import { PeerNode } from '../../src-main/app/peer-node.ts';
import type { Overlay } from '../../src-main/overlay/overlay.ts';
import { OverlayRegistry } from '../../src-main/overlay/overlay-registry.ts';
import { Prng } from '../../src-main/overlay/sim/prng.ts';
import { serveWorker } from '../worker-serve.ts';
import { placeholderSdp } from '../../src-main/app/calls/index.ts';
import type {
  CallSetupAnswer,
  CallSetupArgs,
  JoinArgs,
  LoginArgs,
  LookupAnswer,
  LookupArgs,
  NodeRef,
  OpenArgs,
  OverlayState,
  RegistrationAnswer,
  RegistrationArgs,
  RingAccount,
  StretchArgs,
  TrafficReading,
} from './ring-protocol.ts';
import { CALL_SETUP_OPERATION } from './ring-protocol.ts';
import { StretchableTimers } from './stretchable-timers.ts';

const LOGIN_TIMEOUT_MS = 10_000;
const JOIN_TIMEOUT_MS = 30_000;
const LOOKUP_DEADLINE_MS = 10_000;
/** Key pairs generated at once in this host (four hosts share two cores). */
const KEY_PARALLELISM = 2;

interface HostedPeer {
  account: RingAccount;
  node: PeerNode;
  overlay?: Overlay;
}

const peers = new Map<string, HostedPeer>();
const timers = new StretchableTimers();
let registry: OverlayRegistry | undefined;

function peer(name: string): HostedPeer {
  const found = peers.get(name);
  if (!found) throw new Error(`no peer ${name} in this host`);
  return found;
}

function joined(): Array<HostedPeer & { overlay: Overlay }> {
  return [...peers.values()].filter((p): p is HostedPeer & { overlay: Overlay } => p.overlay !== undefined);
}

serveWorker(
  {
    async open({ folder, peers: accounts, refreshMs, hopTimeoutMs }: OpenArgs): Promise<{ opened: number }> {
      // The identity layer's own Chord (one attempt per hop over SIP) with the lab's periods,
      // its refresh timer on stretchable timers.
      const chord = identityAlgorithms({ refreshMs, hopTimeoutMs }).factory('identity', 'chord');
      registry = new OverlayRegistry().register('identity', 'chord', (components) =>
        chord({ ...components, schedule: (ms, task) => timers.schedule(ms, task) }),
      );
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

    async join({ name, bootstrap }: JoinArgs): Promise<NodeRef> {
      const hosted = peer(name);
      if (!registry) throw new Error('open first');
      const startedAlone: string[] = [];
      hosted.overlay = await within(
        joinIdentityLayer(hosted.node, {
          registry,
          bootstrap,
          onStartedAlone: (why) => startedAlone.push(why),
        }),
        JOIN_TIMEOUT_MS,
        () => {
          throw new Error(`${name} did not finish joining within ${JOIN_TIMEOUT_MS / 1000} s`);
        },
      );
      if (startedAlone.length > 0) throw new Error(`${name} started a ring of its own: ${startedAlone[0]}`);
      return hosted.overlay.self;
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
      const answer: RegistrationAnswer = { checked: 0, found: 0, missing: [] };
      for (const { asker, aor, nodeId } of items) {
        answer.checked++;
        const overlay = peer(asker).overlay;
        let why = 'the asking peer is not in the ring';
        if (overlay) {
          try {
            const bindings = await within(overlay.get(aor), LOOKUP_DEADLINE_MS, () => {
              throw new Error(`no answer within ${LOOKUP_DEADLINE_MS / 1000} s`);
            });
            if (bindings.some((b) => b.nodeId === nodeId)) {
              answer.found++;
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
