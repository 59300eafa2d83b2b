import type { RingProblem } from '../../overlay/chord/index.ts';
import type { ChurnResult } from './churn.ts';
import type { RegistrationCheck } from './check-registrations.ts';
import type { LookupRound } from './measure-lookups.ts';
import type { CallRound } from './place-calls.ts';
import type { SwitchRound } from './switch-round.ts';
import { mean, percentile } from './percentile.ts';

/** The Chord settings the lab ran with (scaled down from a real ring's). */
export interface LabChordSettings {
  refreshMs: number;
  hopTimeoutMs: number;
  successors: number;
  replicas: number;
  fingers: number;
}

/** Everything a lab run measured. `ok` is the verdict; `problems` says what was wrong, in sentences. */
export interface LabReport {
  ok: boolean;
  problems: string[];
  peers: number;
  seed: number;
  chord: LabChordSettings;
  loginServer: string;
  /** Key pairs (RSA-2048, stored encrypted), generated `parallel` at a time. */
  keys: { ms: number; parallel: number };
  /** All logins and joins, one after another. */
  joinMs: number;
  ring: {
    correct: boolean;
    /** From the first join until the ring checked correct; null when it did not within the bound. */
    formMs: number | null;
    /** From the last join until the ring checked correct. */
    convergeMs: number | null;
    /** What was still wrong when the wait gave up. */
    problems: RingProblem[];
  };
  /** The round from every node once the ring formed. */
  lookups: LookupRound;
  registrations: RegistrationCheck;
  /** Calls once the ring formed (null when none were asked for, or the ring never formed). */
  calls: CallRound | null;
  leave: ChurnResult | null;
  kill: ChurnResult | null;
  /** Calls among the survivors once the ring healed after the kill. */
  callsAfterKill: CallRound | null;
  /** The layer switches asked for with --switch, in order. */
  switches: SwitchRound[];
  /** Failures of the peers' background tasks, if any (not counted as problems). */
  backgroundErrors: string[];
  durationMs: number;
}

/** The lookups that count: the first round, and the round that confirmed each heal (or failed trying). */
export function countedRounds(report: LabReport): LookupRound[] {
  const rounds = [report.lookups];
  for (const churn of [report.leave, report.kill]) if (churn?.lookups) rounds.push(churn.lookups);
  return rounds;
}

export interface LabTotals {
  lookups: number;
  failures: number;
  hopsMean: number;
  hopsP95: number;
  latencyP50: number;
  latencyP95: number;
  /** Survivors' registrations not found after churn; null when a ring did not heal (not checked). */
  registrationsLost: number | null;
  /** The ring was right at the start and again after every leave and kill. */
  ringCorrect: boolean;
  calls: number;
  callsFailed: number;
  setupP50: number;
  setupP95: number;
  callHopsMean: number;
}

export function labTotals(report: LabReport): LabTotals {
  const rounds = countedRounds(report);
  const hops = rounds.flatMap((r) => r.hops);
  const latencies = rounds.flatMap((r) => r.latenciesMs);
  const callRounds = [report.calls, report.callsAfterKill].filter((r): r is CallRound => r !== null);
  const setups = callRounds.flatMap((r) => r.setupMs);
  let lost: number | null = 0;
  for (const churn of [report.leave, report.kill]) {
    if (!churn) continue;
    if (!churn.registrations || lost === null) lost = null;
    else lost += churn.registrations.checked - churn.registrations.found;
  }
  return {
    lookups: rounds.reduce((n, r) => n + r.lookups, 0),
    failures: rounds.reduce((n, r) => n + r.failures, 0),
    hopsMean: mean(hops),
    hopsP95: percentile(hops, 95),
    latencyP50: percentile(latencies, 50),
    latencyP95: percentile(latencies, 95),
    registrationsLost: lost,
    ringCorrect: report.ring.correct && [report.leave, report.kill].every((c) => !c || c.healed),
    calls: callRounds.reduce((n, r) => n + r.calls, 0),
    callsFailed: callRounds.reduce((n, r) => n + r.failures, 0),
    setupP50: percentile(setups, 50),
    setupP95: percentile(setups, 95),
    callHopsMean: mean(callRounds.flatMap((r) => r.hops)),
  };
}

/** The one JSON object `chordline lab --json` prints (snake_case, as the issue names the fields). */
export function labJson(report: LabReport) {
  const t = labTotals(report);
  const ms = (x: number | null) => (x === null || Number.isNaN(x) ? null : Math.round(x));
  const fixed = (x: number, digits: number) => (Number.isNaN(x) ? null : Number(x.toFixed(digits)));
  return {
    ok: report.ok,
    peers: report.peers,
    seed: report.seed,
    ring_correct: t.ringCorrect,
    ring_form_ms: ms(report.ring.formMs),
    join_ms: ms(report.joinMs),
    lookups: t.lookups,
    lookup_failures: t.failures,
    hops_mean: fixed(t.hopsMean, 2),
    hops_p95: fixed(t.hopsP95, 0),
    lookup_ms_p50: fixed(t.latencyP50, 1),
    lookup_ms_p95: fixed(t.latencyP95, 1),
    registrations: report.registrations.checked,
    registrations_found: report.registrations.found,
    left: report.leave?.peers.length ?? 0,
    leave_heal_ms: ms(report.leave?.healMs ?? null),
    killed: report.kill?.peers.length ?? 0,
    killed_side_by_side: report.kill?.longestRun ?? 0,
    heal_ms: ms(report.kill?.healMs ?? null),
    heal_links_ms: ms(report.kill?.linksMs ?? null),
    registrations_lost: t.registrationsLost,
    calls: t.calls,
    calls_failed: t.callsFailed,
    setup_ms_p50: fixed(t.setupP50, 1),
    setup_ms_p95: fixed(t.setupP95, 1),
    call_hops_mean: fixed(t.callHopsMean, 2),
    ...switchJson(report.switches),
    settings: {
      refresh_ms: report.chord.refreshMs,
      hop_timeout_ms: report.chord.hopTimeoutMs,
      successors: report.chord.successors,
      replicas: report.chord.replicas,
    },
    duration_ms: ms(report.durationMs),
    problems: report.problems,
  };
}

/** The switch fields of `--json`: totals over every switch, and each switch on its own. */
function switchJson(switches: readonly SwitchRound[]) {
  if (switches.length === 0) return {};
  const sum = (f: (r: SwitchRound) => number) => switches.reduce((n, r) => n + f(r), 0);
  const ms = (x: number | null) => (x === null ? null : Math.round(x));
  return {
    switch_ms: switches.some((r) => r.switchMs === null) ? null : Math.round(sum((r) => r.switchMs ?? 0)),
    lookups_during_switch: sum((r) => r.lookups),
    lookup_failures_during_switch: sum((r) => r.lookupFailures),
    calls_dropped: sum((r) => r.callsDropped),
    switches: switches.map((r) => ({
      layer: r.layer,
      from: r.from,
      to: r.to,
      epoch: r.epoch,
      seed: r.seed,
      switch_ms: ms(r.switchMs),
      moved_ms: ms(r.movedMs),
      lookups: r.lookups,
      lookup_failures: r.lookupFailures,
      calls: r.calls,
      calls_dropped: r.callsDropped,
      trust_unchanged: r.trustUnchanged,
    })),
  };
}
