import { identityRows } from './identity/identity-rows.ts';
import type { LoginLevel } from './login/run.ts';
import type { RingRun } from './ring/run.ts';
import type { VoiceRun } from './voice/run.ts';
import { spread } from './summary.ts';
import type { SuiteResult } from './suite.ts';

/** One line of the summary: what, its median over the runs, its spread (lowest–highest). */
export interface SummaryRow {
  what: string;
  median: string;
  spread: string;
  runs: number;
}

/** The readable summary of a suite: medians over the runs, with their spread. */
export function summaryRows(result: SuiteResult): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const add = (what: string, values: number[], unit: string, digits = 0) => {
    const clean = values.filter((v) => Number.isFinite(v));
    if (clean.length === 0) return;
    const s = spread(clean);
    const f = (v: number) => v.toFixed(digits);
    rows.push({
      what,
      median: unit ? `${f(s.median)} ${unit}` : f(s.median),
      spread: `${f(s.min)}–${f(s.max)}`,
      runs: clean.length,
    });
  };

  if (result.register.length > 0) {
    const runs = result.register;
    add(
      'signed REGISTER, open loop: highest rate',
      runs.map((r) => r.maxRate),
      '/s',
    );
    add(
      '  latency p50 at that rate',
      runs.map((r) => r.best?.p50Ms ?? NaN),
      'ms',
      1,
    );
    add(
      '  latency p99 at that rate',
      runs.map((r) => r.best?.p99Ms ?? NaN),
      'ms',
      1,
    );
    add(
      'signed REGISTER, 32 in flight: 200 OK per second',
      runs.map((r) => r.flatOut.throughput),
      '/s',
    );
    add(
      '  node CPU per REGISTER',
      runs.map((r) => r.flatOut.nodeCpuUs),
      'µs',
    );
    add(
      '  node busy (share of its core)',
      runs.map((r) => r.flatOut.nodeCores * 100),
      '%',
    );
    add(
      '  latency p50',
      runs.map((r) => r.flatOut.p50Ms),
      'ms',
      1,
    );
    add(
      '  latency p99',
      runs.map((r) => r.flatOut.p99Ms),
      'ms',
      1,
    );
  }
  if (result.options.length > 0) {
    const runs = result.options;
    add(
      'unsigned OPTIONS (sipp): highest rate, no failure',
      runs.map((r) => r.maxRate),
      '/s',
    );
    add(
      '  node CPU per OPTIONS (most loaded step)',
      runs.map((r) => mostLoaded(r.steps)?.nodeCpuUs ?? NaN),
      'µs',
    );
  }
  if (result.login.length > 0) {
    const best = result.login.map(bestLevel);
    add(
      'logins/s at the login server (best level)',
      best.map((l) => l?.loginsPerSecond ?? NaN),
      '/s',
    );
    add(
      '  logins in flight at that level',
      best.map((l) => l?.concurrency ?? NaN),
      '',
    );
    add(
      '  latency p50 (at that level)',
      best.map((l) => l?.p50Ms ?? NaN),
      'ms',
      1,
    );
    add(
      '  latency p95 (at that level)',
      best.map((l) => l?.p95Ms ?? NaN),
      'ms',
      1,
    );
    add(
      '  server CPU per login',
      best.map((l) => (l?.serverCpuUs ?? NaN) / 1000),
      'ms',
      2,
    );
    const single = result.login.map((levels) => levels.find((l) => l.concurrency === 1));
    add(
      '  one login at a time: p50',
      single.map((l) => l?.p50Ms ?? NaN),
      'ms',
      1,
    );
    add(
      '  one login at a time: p95',
      single.map((l) => l?.p95Ms ?? NaN),
      'ms',
      1,
    );
  }
  if (result.memory.length > 0) {
    const peer = result.memory.map((r) => r[0]);
    const base = result.memory.map((r) => r[1]);
    add(
      'idle `chordline peer`: RSS',
      peer.map((r) => r?.rssMB ?? NaN),
      'MB',
      1,
    );
    add(
      '  RSS after a full GC',
      peer.map((r) => r?.rssAfterGcMB ?? NaN),
      'MB',
      1,
    );
    add(
      '  heapUsed after a full GC',
      peer.map((r) => r?.heapUsedAfterGcMB ?? NaN),
      'MB',
      1,
    );
    add(
      '  baseline node + tsx: RSS',
      base.map((r) => r?.rssMB ?? NaN),
      'MB',
      1,
    );
  }
  if (result.ring.length > 0) ringRows(result.ring, add, (row) => rows.push(row));
  if (result.identity.length > 0) rows.push(...identityRows(result.identity));
  if (result.voice.length > 0) voiceRows(result.voice, add);
  return rows;
}

type AddRow = (what: string, values: number[], unit: string, digits?: number) => void;

/** The ring benchmark's lines: lookups, joins, idle traffic, healing, and the simulation beside them. */
function ringRows(runs: RingRun[], add: AddRow, push: (row: SummaryRow) => void): void {
  const first = runs[0];
  const n = first.peers;
  add(
    `Chord ring of ${n} peers: mean lookup hops (bound ${first.lookups.bound.toFixed(2)})`,
    runs.map((r) => r.lookups.meanHops),
    '',
    2,
  );
  add(
    '  lookup hops p95',
    runs.map((r) => r.lookups.p95Hops),
    '',
  );
  add(
    '  lookup latency p50',
    runs.map((r) => r.lookups.p50Ms),
    'ms',
    1,
  );
  add(
    '  lookup latency p95',
    runs.map((r) => r.lookups.p95Ms),
    'ms',
    1,
  );
  add(
    '  lookups to a wrong owner or failed',
    runs.map((r) => r.lookups.failures),
    '',
  );
  add(
    `  SIP requests per join (log2(N)² = ${first.joinCost.logSquared.toFixed(0)})`,
    runs.map((r) => r.joinCost.requestsPerJoin),
    '',
  );
  add(
    '  datagrams per join (requests and answers)',
    runs.map((r) => r.joinCost.datagramsPerJoin),
    '',
  );
  const period = `${first.defaultRefreshMs / 1000} s`;
  add(
    `  idle peer at ${period} refresh: bytes sent`,
    runs.map((r) => r.maintenance.bytesSentPerPeerPerSecond),
    'B/s',
  );
  add(
    `  idle peer at ${period} refresh: bytes received`,
    runs.map((r) => r.maintenance.bytesReceivedPerPeerPerSecond),
    'B/s',
  );
  add(
    `  idle peer at ${first.refreshMs / 1000} s refresh (the ring's): bytes sent`,
    runs.map((r) => r.joinCost.background.bytesSentPerPeerPerSecond),
    'B/s',
  );
  const healed = runs.filter((r) => r.heal.healedMs !== null);
  const killed = `kill ${first.heal.killed} at once, refresh ${first.refreshMs / 1000} s`;
  if (healed.length < runs.length)
    push({
      what: `  ${killed}: not healed within ${first.heal.timeoutMs / 1000} s`,
      median: `${runs.length - healed.length} runs`,
      spread: '',
      runs: runs.length,
    });
  add(
    `  ${killed}: lookups right again`,
    runs.map((r) => (r.heal.lookupsRightMs ?? NaN) / 1000),
    's',
    1,
  );
  add(
    `  ${killed}: every table right (healed)`,
    healed.map((r) => r.heal.healedMs! / 1000),
    's',
    1,
  );
  add(
    '  registrations lost (of the survivors)',
    runs.map((r) => r.heal.registrations.checked - r.heal.registrations.found),
    '',
  );
  for (const [i, sim] of first.simulated.entries()) {
    add(
      `simulation, ${sim.nodes.toLocaleString('en')} nodes: mean hops (bound ${sim.bound.toFixed(2)})`,
      runs.map((r) => r.simulated[i]?.meanHops ?? NaN),
      '',
      2,
    );
  }
  add(
    'calls, INVITE to 200 OK (auto-answer): setup p50',
    runs.map((r) => r.callSetup.p50Ms),
    'ms',
    1,
  );
  add(
    '  setup p95 (aim: under 100 ms)',
    runs.map((r) => r.callSetup.p95Ms),
    'ms',
    1,
  );
  add(
    '  peers between caller and callee, mean',
    runs.map((r) => r.callSetup.meanHops),
    '',
    2,
  );
  add(
    '  calls not answered',
    runs.map((r) => r.callSetup.failures),
    '',
  );
}

/** The voice benchmark's lines: call setup to first audio, ICE, mouth-to-ear, CPU per call. */
function voiceRows(runs: VoiceRun[], add: AddRow): void {
  add(
    'voice, dial to first audio packet at the caller: p50',
    runs.map((r) => r.callerFirstAudio.p50),
    'ms',
    1,
  );
  add(
    '  p95 (aim: under 300 ms)',
    runs.map((r) => r.callerFirstAudio.p95),
    'ms',
    1,
  );
  add(
    '  at the callee: p50',
    runs.map((r) => r.calleeFirstAudio.p50),
    'ms',
    1,
  );
  add(
    '  caller ICE gathering before the INVITE: p50',
    runs.map((r) => r.iceGather.p50),
    'ms',
    1,
  );
  add(
    '  click to INVITE (microphone, offer, ICE): p50',
    runs.map((r) => r.clickToDial.p50),
    'ms',
    1,
  );
  add(
    '  calls that failed',
    runs.map((r) => r.failed.length),
    '',
  );
  add(
    'voice, mouth-to-ear (beep to onset heard): p50',
    runs.map((r) => r.mouthToEar?.p50Ms ?? NaN),
    'ms',
    1,
  );
  add(
    '  of which Web Audio and detector alone: p50',
    runs.map((r) => r.mouthToEar?.localP50Ms ?? NaN),
    'ms',
    1,
  );
  add(
    "  Bob's jitter buffer: a sample's average wait",
    runs.map((r) => r.mouthToEar?.jitterBufferMs ?? NaN),
    'ms',
    1,
  );
  add(
    'voice, CPU during a call, both Chromiums (of one core)',
    runs.map((r) => (r.cpu ? r.cpu.inCall.chromium * 100 : NaN)),
    '%',
    1,
  );
  add(
    '  idle (no call)',
    runs.map((r) => (r.cpu ? r.cpu.idle.chromium * 100 : NaN)),
    '%',
    1,
  );
  add(
    '  both phone processes in a call',
    runs.map((r) => (r.cpu ? r.cpu.inCall.phones * 100 : NaN)),
    '%',
    1,
  );
  add(
    '  both phone processes idle',
    runs.map((r) => (r.cpu ? r.cpu.idle.phones * 100 : NaN)),
    '%',
    1,
  );
}

/**
 * The step that answered the most (steps last equally long): per-transaction costs that do not
 * grow with load (timers, idle GC) weigh least there.
 */
function mostLoaded<S extends { ok: number }>(steps: S[]): S | undefined {
  return steps.reduce<S | undefined>((a, b) => (a && a.ok >= b.ok ? a : b), undefined);
}

/** The level with the most logins per second and no failed login. */
function bestLevel(levels: LoginLevel[]): LoginLevel | undefined {
  return levels
    .filter((l) => l.failed === 0)
    .reduce<LoginLevel | undefined>(
      (a, b) => (a && a.loginsPerSecond >= b.loginsPerSecond ? a : b),
      undefined,
    );
}

export function formatTable(rows: SummaryRow[]): string {
  const header: SummaryRow = { what: 'benchmark', median: 'median', spread: 'spread (min–max)', runs: 0 };
  const all = [header, ...rows];
  const w1 = Math.max(...all.map((r) => r.what.length));
  const w2 = Math.max(...all.map((r) => r.median.length));
  const w3 = Math.max(...all.map((r) => r.spread.length));
  return all
    .map(
      (r, i) =>
        `${r.what.padEnd(w1)}  ${r.median.padStart(w2)}  ${r.spread.padStart(w3)}  ${i === 0 ? 'runs' : r.runs}`,
    )
    .join('\n');
}
