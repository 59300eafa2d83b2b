import type { ResolvedChordSettings } from '../../overlay/chord/index.ts';
import { Prng } from '../../overlay/sim/prng.ts';
import { checkRegistrations } from './check-registrations.ts';
import type { RegistrationCheck } from './check-registrations.ts';
import { churn } from './churn.ts';
import type { ChurnKind, ChurnResult } from './churn.ts';
import { LabInterruptedError } from './lab-errors.ts';
import { LabNetwork, LAB_DOMAIN } from './lab-network.ts';
import type { LabMember } from './lab-network.ts';
import { resolveLabOptions } from './lab-options.ts';
import type { LabOptions, ResolvedLabOptions } from './lab-options.ts';
import { labProblems } from './lab-problems.ts';
import type { LabReport } from './lab-report.ts';
import { measureLookups } from './measure-lookups.ts';
import { placeCalls } from './place-calls.ts';
import type { CallRound } from './place-calls.ts';
import type { LookupRound } from './measure-lookups.ts';
import { parseSwitchSpec, switchRound } from './switch-round.ts';
import { RETIRE_AFTER_PERIODS } from '../identity/switch-authority.ts';
import type { SwitchRound } from './switch-round.ts';
import { waitForRing } from './wait-for-ring.ts';
import type { RingCheck } from './wait-for-ring.ts';

/** The phases that report progress as they go (done of total). */
export type LabPhase = 'keys' | 'join' | 'lookups' | 'calls' | 'leave';

/** News from a running lab, for a progress display; the report at the end has it all again. */
export type LabEvent =
  | {
      kind: 'start';
      options: ResolvedLabOptions;
      chord: ResolvedChordSettings;
      loginServer: string;
      domain: string;
      folder: string;
    }
  | { kind: 'progress'; phase: LabPhase; done: number; total: number }
  | { kind: 'keys'; count: number; ms: number; parallel: number }
  | { kind: 'joined'; count: number; ms: number }
  | { kind: 'ring'; check: RingCheck; formMs: number | null; convergeMs: number | null }
  | { kind: 'lookups'; round: LookupRound; ms: number }
  | { kind: 'registrations'; check: RegistrationCheck }
  | { kind: 'calls'; round: CallRound; ms: number; after: 'ring' | 'kill' }
  | { kind: 'waiting'; what: 'ring' | 'heal'; elapsedMs: number }
  | { kind: 'gone'; how: ChurnKind; peers: string[]; longestRun: number; actionMs: number }
  | { kind: 'churn'; result: ChurnResult }
  | { kind: 'switch'; round: SwitchRound }
  | { kind: 'skipped'; what: string; why: string };

export interface RunLabHooks {
  onEvent?: (event: LabEvent) => void;
  /** Abort (Ctrl-C): everything is torn down at once and runLab rejects with LabInterruptedError. */
  signal?: AbortSignal;
}

/**
 * A whole Chordline network in this process, checked end to end (issue 3, `chordline lab`):
 *
 *   login server + N users
 *     → N peers open (UDP socket, key store); keys generated a few at a time
 *     → login + join, one after another, in a seeded random order
 *     → ring: wait until every table matches the sorted NodeIDs (bounded)
 *     → lookups: M random keys from every node, each owner checked
 *     → registrations: every AOR fetched from another node
 *     → calls: C calls between random pairs, each routed through the ring and answered
 *     → [leave L gracefully → heal → lookups + registrations again]
 *     → [kill K with no warning → heal → lookups + registrations + calls again]
 *     → [switch the identity layer's algorithm, with calls held and lookups running, per --switch]
 *     → report; everything stopped and the temp folder removed
 *
 * The same seed gives the same join order, keys, askers and victims (by name); the NodeIDs come
 * from fresh key pairs, so each run's ring is a new one.
 */
export async function runLab(options: LabOptions, hooks: RunLabHooks = {}): Promise<LabReport> {
  const o = resolveLabOptions(options);
  const { signal } = hooks;
  if (signal?.aborted) throw new LabInterruptedError();
  const network = LabNetwork.create({ refreshMs: o.refreshMs, hopTimeoutMs: o.hopTimeoutMs });
  // Ctrl-C stops every socket and timer at once; whatever was in flight fails fast, and the
  // catch below turns that into LabInterruptedError.
  const teardown = () => network.stop();
  signal?.addEventListener('abort', teardown, { once: true });
  try {
    return await run(network, o, hooks);
  } catch (error) {
    if (signal?.aborted) throw new LabInterruptedError();
    throw error;
  } finally {
    signal?.removeEventListener('abort', teardown);
    network.stop(); // again: removes what an operation in flight at Ctrl-C wrote since
  }
}

async function run(network: LabNetwork, o: ResolvedLabOptions, hooks: RunLabHooks): Promise<LabReport> {
  const { signal } = hooks;
  const emit = (event: LabEvent) => hooks.onEvent?.(event);
  const interrupted = () => {
    if (signal?.aborted) throw new LabInterruptedError();
  };
  // One stream per purpose, so that a retried round does not change who is killed.
  const orderPrng = new Prng(o.seed);
  const lookupPrng = new Prng(o.seed ^ 0x5bd1e995);
  const askPrng = new Prng(o.seed ^ 0x27d4eb2f);
  const churnPrng = new Prng(o.seed ^ 0x165667b1);
  const callPrng = new Prng(o.seed ^ 0x2f6b7a43);
  const switchPrng = new Prng(o.seed ^ 0x61c88647);
  const callRound = async (after: 'ring' | 'kill'): Promise<CallRound> => {
    const callsStarted = performance.now();
    const round = await placeCalls(network.up(), {
      count: o.calls,
      prng: callPrng,
      signal,
      onProgress: (done, total) => emit({ kind: 'progress', phase: 'calls', done, total }),
    });
    emit({ kind: 'calls', round, ms: performance.now() - callsStarted, after });
    return round;
  };
  const started = performance.now();

  const accounts = await network.startLoginServer(o.peers);
  emit({
    kind: 'start',
    options: o,
    chord: network.chord,
    loginServer: network.loginServer.uri,
    domain: LAB_DOMAIN,
    folder: network.folder,
  });
  for (const account of accounts) await network.addPeer(account);

  const keysStarted = performance.now();
  let keyed = 0;
  await inParallel(network.members, o.keyParallelism, async (member) => {
    interrupted();
    await network.generateKey(member);
    emit({ kind: 'progress', phase: 'keys', done: ++keyed, total: o.peers });
  });
  const keys = { ms: performance.now() - keysStarted, parallel: o.keyParallelism };
  emit({ kind: 'keys', count: o.peers, ...keys });

  const joinStarted = performance.now();
  for (const [i, member] of orderPrng.shuffle(network.members).entries()) {
    interrupted();
    await network.join(member);
    emit({ kind: 'progress', phase: 'join', done: i + 1, total: o.peers });
  }
  const joinMs = performance.now() - joinStarted;
  emit({ kind: 'joined', count: o.peers, ms: joinMs });

  const ringCheck = await waitForRing(network, network.up(), {
    timeoutMs: o.formTimeoutMs,
    signal,
    onCheck: () =>
      emit({ kind: 'waiting', what: 'ring', elapsedMs: performance.now() - joinStarted - joinMs }),
  });
  const formedAt = performance.now();
  const ring = {
    correct: ringCheck.correct,
    formMs: ringCheck.correct ? formedAt - joinStarted : null,
    convergeMs: ringCheck.correct ? formedAt - joinStarted - joinMs : null,
    problems: ringCheck.problems,
  };
  emit({ kind: 'ring', check: ringCheck, formMs: ring.formMs, convergeMs: ring.convergeMs });

  const lookupsStarted = performance.now();
  const lookups = await measureLookups(network.up(), {
    perNode: o.lookups,
    prng: lookupPrng,
    signal,
    onProgress: (done, total) => emit({ kind: 'progress', phase: 'lookups', done, total }),
  });
  emit({ kind: 'lookups', round: lookups, ms: performance.now() - lookupsStarted });

  const registrations = await checkRegistrations(network.up(), { prng: askPrng, signal });
  emit({ kind: 'registrations', check: registrations });
  const calls = o.calls > 0 && ring.correct ? await callRound('ring') : null;

  let leave: ChurnResult | null = null;
  let kill: ChurnResult | null = null;
  let callsAfterKill: CallRound | null = null;
  const churnOptions = {
    prng: churnPrng,
    perNode: o.lookups,
    healTimeoutMs: o.healTimeoutMs,
    signal,
    onGone: ({ how, peers, longestRun, actionMs }: Readonly<ChurnResult>) =>
      emit({ kind: 'gone', how, peers, longestRun, actionMs }),
    onWaiting: (elapsedMs: number) => emit({ kind: 'waiting', what: 'heal', elapsedMs }),
  };
  if (o.leave > 0) {
    if (ring.correct) {
      leave = await churn(network, 'leave', o.leave, {
        ...churnOptions,
        onProgress: (done, total) => emit({ kind: 'progress', phase: 'leave', done, total }),
      });
      emit({ kind: 'churn', result: leave });
    } else emit({ kind: 'skipped', what: `the leave of ${o.leave} peers`, why: 'the ring never formed' });
  }
  if (o.kill > 0) {
    if (ring.correct && (!leave || leave.healed)) {
      kill = await churn(network, 'kill', o.kill, churnOptions);
      emit({ kind: 'churn', result: kill });
      if (o.calls > 0 && kill.healed) callsAfterKill = await callRound('kill');
    } else {
      const why = ring.correct ? 'the ring did not heal after the leave' : 'the ring never formed';
      emit({ kind: 'skipped', what: `the kill of ${o.kill} peers`, why });
    }
  }

  const switches: SwitchRound[] = [];
  for (const spec of o.switch) {
    if (!ring.correct) {
      emit({ kind: 'skipped', what: `the switch to ${spec}`, why: 'the ring never formed' });
      continue;
    }
    const round = await switchRound(network, parseSwitchSpec(spec), {
      prng: switchPrng,
      calls: o.calls,
      askers: o.switchAskers,
      retireAfterMs: RETIRE_AFTER_PERIODS * o.refreshMs,
      timeoutMs: o.switchTimeoutMs,
      signal,
    });
    switches.push(round);
    emit({ kind: 'switch', round });
  }

  const names = new Map(
    network.members.flatMap((m: LabMember) => (m.overlay ? [[m.overlay.self.id, m.name] as const] : [])),
  );
  const body = {
    peers: o.peers,
    seed: o.seed,
    chord: {
      refreshMs: network.chord.refreshMs,
      hopTimeoutMs: network.chord.hopTimeoutMs,
      successors: network.chord.successors,
      replicas: network.chord.replicas,
      fingers: network.chord.fingers,
    },
    loginServer: network.loginServer.uri,
    keys,
    joinMs,
    ring,
    lookups,
    registrations,
    calls,
    leave,
    kill,
    callsAfterKill,
    switches,
    backgroundErrors: [...network.backgroundErrors],
    durationMs: performance.now() - started,
  };
  const problems = labProblems(body, {
    nameOf: (id) => (names.has(id) ? `${names.get(id)} (${id.slice(0, 8)})` : id.slice(0, 8)),
    formTimeoutMs: o.formTimeoutMs,
    healTimeoutMs: o.healTimeoutMs,
    startedAlone: network.startedAlone,
  });
  if (o.leave > 0 && !leave) problems.push(`The leave was not tried: the ring never formed.`);
  if (o.kill > 0 && !kill) problems.push(`The kill was not tried: the ring was not right before it.`);
  for (const [round, when] of [
    [calls, 'once the ring formed'],
    [callsAfterKill, 'after the kill'],
  ] as const) {
    if (!round || round.failures === 0) continue;
    problems.push(
      `${round.failures} of ${round.calls} calls ${when} were not answered, e.g. ${round.failed.join('; ')}.`,
    );
  }
  for (const round of switches) {
    const what = `The switch from ${round.from} to ${round.to}`;
    if (round.switchMs === null) problems.push(`${what} did not finish: ${round.failed.join('; ')}.`);
    if (round.lookupFailures > 0)
      problems.push(
        `${what}: ${round.lookupFailures} of ${round.lookups} lookups failed, e.g. ${round.failed.join('; ')}.`,
      );
    if (round.callsDropped > 0)
      problems.push(`${what} dropped ${round.callsDropped} of ${round.calls} calls.`);
    if (!round.trustUnchanged) problems.push(`${what} changed the trust layer's state.`);
  }
  return { ok: problems.length === 0, problems, ...body };
}

/**
 * Runs `task` on every item, at most `limit` at a time. Rejects with the first failure, but only
 * once every task started has settled, so that nothing is still writing when the caller cleans up.
 */
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      try {
        await task(items[next++]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
