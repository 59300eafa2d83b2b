import type { ChurnResult } from './churn.ts';
import { seconds } from './lab-problems.ts';
import { countedRounds, labTotals } from './lab-report.ts';
import type { LabReport } from './lab-report.ts';
import { mean, percentile } from './percentile.ts';
import type { LabEvent, LabPhase } from './run-lab.ts';

/*
 * The lab's plain output, for people: a header, one line per phase, a summary table and a
 * verdict. Pure functions from events and the report to text; the CLI decides where it goes.
 */

const LABEL = 15;
const COUNT = 9;

const WIDTH = 110;

/**
 * "  lookups        600/600  found the right owner": label, count, words, aligned; a long text
 * wraps under itself.
 */
function phaseLine(label: string, count: string, text: string): string {
  const indent = 2 + LABEL + COUNT + 2;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return `  ${label.padEnd(LABEL)}${count.padStart(COUNT)}  ${lines.join(`\n${' '.repeat(indent)}`)}`;
}

const PHASE_LABEL: Record<LabPhase, string> = {
  keys: 'keys',
  join: 'joined',
  lookups: 'lookups',
  calls: 'calls',
  leave: 'leaving',
};

/** The line a running phase shows (a terminal redraws it in place); undefined for none. */
export function progressText(event: LabEvent): string | undefined {
  if (event.kind === 'progress')
    return phaseLine(PHASE_LABEL[event.phase], `${event.done}/${event.total}`, '…');
  if (event.kind === 'waiting')
    return phaseLine(event.what === 'ring' ? 'ring' : 'healing', seconds(event.elapsedMs), 'waiting…');
  return undefined;
}

/** The lines an event leaves behind (none for progress, which only redraws). */
export function eventLines(event: LabEvent): string[] {
  switch (event.kind) {
    case 'start': {
      const { options: o, chord } = event;
      return [
        `Chordline lab: a login server and ${o.peers} peers on 127.0.0.1, all in this process`,
        `  login server   ${event.loginServer} (domain ${event.domain})`,
        `  data           ${event.folder} (removed at the end)`,
        `  Chord          r = ${chord.successors} successors, ${chord.replicas} replicas; refresh ${ms(chord.refreshMs)}, hop timeout ${ms(chord.hopTimeoutMs)}`,
        `                 (scaled down for a lab: a real ring refreshes every 60 s; the lab's peers share one process)`,
        `  seed           ${o.seed} (--seed ${o.seed} repeats the join order, the keys and who leaves or dies)`,
        '',
      ];
    }
    case 'progress':
    case 'waiting':
      return [];
    case 'gone':
      return [
        event.how === 'leave'
          ? phaseLine(
              'left',
              String(event.peers.length),
              `gracefully, one after another (${seconds(event.actionMs)})`,
            )
          : phaseLine(
              'killed',
              String(event.peers.length),
              `with no warning (${event.longestRun <= 1 ? 'no two of them neighbours' : `up to ${event.longestRun} neighbours in a row`}): ${event.peers.join(' ')}`,
            ),
      ];
    case 'keys':
      return [
        phaseLine(
          'keys',
          `${event.count}/${event.count}`,
          `RSA-2048 key pairs, ${event.parallel} at a time (${seconds(event.ms)})`,
        ),
      ];
    case 'joined':
      return [
        phaseLine(
          'joined',
          `${event.count}/${event.count}`,
          `digest login, then the Chord join, one after another in random order (${seconds(event.ms)})`,
        ),
      ];
    case 'ring':
      return [
        event.check.correct
          ? phaseLine(
              'ring',
              'correct',
              `every predecessor, successor list and finger matches the sorted NodeIDs (${seconds(event.convergeMs ?? 0)} after the last join)`,
            )
          : phaseLine(
              'ring',
              'WRONG',
              `${event.check.problems.length} table entries still wrong when the wait gave up (see Problems below)`,
            ),
      ];
    case 'lookups': {
      const r = event.round;
      return [
        phaseLine(
          'lookups',
          `${r.lookups - r.failures}/${r.lookups}`,
          `random keys from every node found the right owner (${seconds(event.ms)})`,
        ),
      ];
    }
    case 'registrations':
      return [
        phaseLine(
          'registrations',
          `${event.check.found}/${event.check.checked}`,
          `AORs found by overlay.get from another peer`,
        ),
      ];
    case 'calls': {
      const r = event.round;
      const answered = r.calls - r.failures;
      const setup = percentile(r.setupMs, 50);
      const hops = mean(r.hops);
      return [
        phaseLine(
          'calls',
          `${answered}/${r.calls}`,
          `${event.after === 'kill' ? 'among the survivors: ' : ''}INVITEs routed through the ring, signed 200 OK, ACK, BYE` +
            (answered > 0
              ? `; setup p50 ${setup.toFixed(1)} ms, ${hops.toFixed(1)} peers in between on average`
              : '') +
            ` (${seconds(event.ms)})`,
        ),
      ];
    }
    case 'churn':
      return churnLines(event.result);
    case 'skipped':
      return [phaseLine('skipped', '', `${event.what}: ${event.why}`)];
    case 'switch': {
      const r = event.round;
      const took = r.switchMs === null ? 'did not finish' : `in ${seconds(r.switchMs)}`;
      return [
        phaseLine(
          'switch',
          r.switchMs === null ? 'NO' : 'ok',
          `${r.layer} ${r.from} → ${r.to} (epoch ${r.epoch}, seed ${r.seed}) ${took}: ` +
            `${r.lookups - r.lookupFailures}/${r.lookups} lookups found, ` +
            `${r.calls - r.callsDropped}/${r.calls} calls held, trust ${r.trustUnchanged ? 'unchanged' : 'CHANGED'}`,
        ),
      ];
    }
  }
}

function churnLines(c: ChurnResult): string[] {
  const lines: string[] = [];
  if (!c.healed) {
    lines.push(phaseLine('healed', 'NO', 'the ring was still not right when the wait gave up'));
    return lines;
  }
  const r = c.lookups!;
  lines.push(
    phaseLine(
      'healed',
      seconds(c.healMs ?? 0),
      `ring correct again${linksFirst(c)}, then ${r.lookups}/${r.lookups} lookups from the survivors right`,
    ),
  );
  const regs = c.registrations;
  if (regs)
    lines.push(
      phaseLine('registrations', `${regs.found}/${regs.checked}`, `survivors' registrations still found`),
    );
  return lines;
}

/** " (successors right after 3.1 s, fingers last)" when the links healed well before the fingers. */
function linksFirst(c: ChurnResult): string {
  if (c.linksMs === null || c.healMs === null || c.healMs - c.linksMs < 100) return '';
  return ` (predecessors and successors right after ${seconds(c.linksMs)}, fingers last)`;
}

/** The summary table and the verdict line. */
export function summaryLines(report: LabReport): string[] {
  const t = labTotals(report);
  const rows: Array<[string, string]> = [];
  const gone = [
    report.leave && `${report.leave.peers.length} left`,
    report.kill && `${report.kill.peers.length} killed`,
  ].filter(Boolean);
  rows.push(['peers', `${report.peers}${gone.length > 0 ? ` (${gone.join(', ')})` : ''}`]);
  rows.push([
    'ring',
    report.ring.correct
      ? `correct, formed ${seconds(report.ring.formMs ?? 0)} after the first join (joins ${seconds(report.joinMs)}, then ${seconds(report.ring.convergeMs ?? 0)})`
      : 'NOT correct when the wait gave up (see Problems)',
  ]);
  const byRound = [
    `${report.lookups.lookups} at first`,
    report.leave?.lookups && `${report.leave.lookups.lookups} after the leave`,
    report.kill?.lookups && `${report.kill.lookups.lookups} after the kill`,
  ].filter(Boolean);
  rows.push([
    'lookups',
    `${t.lookups - t.failures}/${t.lookups} found the right owner${byRound.length > 1 ? ` (${byRound.join(', ')})` : ''}`,
  ]);
  const bound = 0.5 * Math.log2(report.peers) + 1;
  const local = countedRounds(report)
    .flatMap((r) => r.hops)
    .filter((h) => h === 0).length;
  rows.push([
    'hops',
    `mean ${fixed(t.hopsMean, 2)}, p95 ${fixed(t.hopsP95, 0)} (bound ½·log2 N + 1 = ${bound.toFixed(2)}); ${percent(local, t.lookups - t.failures)} answered from the asking node's own tables`,
  ]);
  rows.push(['lookup latency', `p50 ${fixed(t.latencyP50, 1)} ms, p95 ${fixed(t.latencyP95, 1)} ms`]);
  rows.push(['registrations', `${report.registrations.found}/${report.registrations.checked} found`]);
  for (const c of [report.leave, report.kill]) {
    if (!c) continue;
    rows.push([
      `healed after ${c.how}`,
      c.healed ? `${seconds(c.healMs ?? 0)}${linksFirst(c)}` : 'NO, not within the bound',
    ]);
    if (c.registrations) {
      const lost = c.registrations.checked - c.registrations.found;
      rows.push([
        `lost in ${c.how}`,
        lost === 0
          ? `none of the ${c.registrations.checked} survivors' registrations`
          : `${lost} of the ${c.registrations.checked} survivors' registrations`,
      ]);
    }
  }
  rows.push([
    'calls',
    t.calls === 0
      ? 'none placed (--calls M places M calls between random peers)'
      : `${t.calls - t.callsFailed}/${t.calls} answered; setup p50 ${fixed(t.setupP50, 1)} ms, p95 ${fixed(t.setupP95, 1)} ms; ${fixed(t.callHopsMean, 1)} peers in between on average`,
  ]);
  rows.push(['time', `${seconds(report.durationMs)} in all`]);
  if (report.backgroundErrors.length > 0) {
    rows.push([
      'background errors',
      `${report.backgroundErrors.length}, first: ${report.backgroundErrors[0]}`,
    ]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = ['', 'Summary', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  if (report.problems.length > 0) lines.push('', 'Problems', ...report.problems.map((p) => `  ${p}`));
  lines.push('', verdict(report));
  return lines;
}

/** "ring correct, 600/600 lookups found the right owner, healed in 3.2 s, no registration lost". */
export function verdict(report: LabReport): string {
  const t = labTotals(report);
  const parts = [t.ringCorrect ? 'ring correct' : 'ring NOT correct'];
  parts.push(`${t.lookups - t.failures}/${t.lookups} lookups found the right owner`);
  if (t.calls > 0) parts.push(`${t.calls - t.callsFailed}/${t.calls} calls answered`);
  const heals = [report.leave, report.kill].filter((c): c is ChurnResult => c !== null);
  if (heals.length > 0) {
    const each = heals.map((c) => {
      const after = heals.length > 1 ? ` after the ${c.how}` : '';
      return c.healed ? `${seconds(c.healMs ?? 0)}${after}` : `NOT${after}`;
    });
    parts.push(
      heals.every((c) => c.healed) ? `healed in ${each.join(' and ')}` : `healed: ${each.join(', ')}`,
    );
    parts.push(
      t.registrationsLost === null
        ? 'registrations not checked after churn'
        : t.registrationsLost === 0
          ? 'no registration lost'
          : `${t.registrationsLost} registration${t.registrationsLost === 1 ? '' : 's'} LOST`,
    );
  } else {
    const r = report.registrations;
    parts.push(
      r.found === r.checked
        ? `all ${r.checked} registrations found`
        : `${r.checked - r.found} of ${r.checked} registrations NOT found`,
    );
  }
  return parts.join(', ');
}

function ms(value: number): string {
  return value >= 1000 && value % 1000 === 0 ? `${value / 1000} s` : `${value} ms`;
}

function fixed(x: number, digits: number): string {
  return Number.isNaN(x) ? '-' : x.toFixed(digits);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${Math.round((100 * part) / whole)}%`;
}
