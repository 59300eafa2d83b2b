import type { RingProblem } from '../../overlay/chord/index.ts';
import type { ChurnResult } from './churn.ts';
import type { LabReport } from './lab-report.ts';

/** How many of a kind are spelled out; the rest are counted. */
const SHOWN = 5;

/** NodeID → "peer07 (3fa2c1d8)", so that a problem names a peer a person can find. */
export type NameOf = (id: string) => string;

/** One checkRing finding as a sentence: "peer07 (3fa2c1d8): successors should be ..., not ...". */
export function describeRingProblem(problem: RingProblem, nameOf: NameOf): string {
  const ids = (text: string) =>
    text === '' || text === 'null' || text === 'undefined'
      ? 'none'
      : text === 'true' || text === 'false'
        ? text
        : text.split(',').map(nameOf).join(', ');
  return `${nameOf(problem.node)}: ${problem.what} should be ${ids(problem.expected)}, not ${ids(problem.actual)}`;
}

/** Everything that went wrong in a run, in sentences (empty: everything was right). */
export function labProblems(
  report: Omit<LabReport, 'ok' | 'problems'>,
  context: { nameOf: NameOf; formTimeoutMs: number; healTimeoutMs: number; startedAlone: string[] },
): string[] {
  const problems: string[] = [];
  const { nameOf } = context;
  if (context.startedAlone.length > 0) {
    problems.push(
      `${context.startedAlone.length} peer(s) could not join through anyone and started a ring of their own: ${context.startedAlone.slice(0, SHOWN).join('; ')}`,
    );
  }
  if (!report.ring.correct) {
    problems.push(
      `The ring did not form within ${seconds(context.formTimeoutMs)} of the last join; ${count(report.ring.problems.length, 'table entry', 'table entries')} still wrong, first:`,
      ...report.ring.problems.slice(0, SHOWN).map((p) => `  ${describeRingProblem(p, nameOf)}`),
    );
  }
  const { lookups, registrations } = report;
  if (lookups.failures > 0) {
    problems.push(
      `${lookups.failures} of ${lookups.lookups} lookups did not find the right owner, first:`,
      ...lookups.failed.map((f) => `  ${f}`),
    );
  }
  if (registrations.found < registrations.checked) {
    problems.push(
      `${registrations.checked - registrations.found} of ${registrations.checked} registrations were not found, first:`,
      ...registrations.missing.map((m) => `  ${m}`),
    );
  }
  for (const churn of [report.leave, report.kill]) {
    if (churn) problems.push(...churnProblems(churn, nameOf, context.healTimeoutMs, report.chord.successors));
  }
  return problems;
}

function churnProblems(churn: ChurnResult, nameOf: NameOf, healTimeoutMs: number, r: number): string[] {
  const n = churn.peers.length;
  const what = `${count(n, 'peer')} ${churn.how === 'leave' ? 'left' : n === 1 ? 'was killed' : 'were killed'}`;
  const problems: string[] = [];
  if (!churn.healed) {
    const beyond =
      churn.longestRun >= r
        ? ` (${churn.longestRun} of them stood side by side in the ring, more than the ${r - 1} that r = ${r} successors cover)`
        : '';
    if (churn.ringProblems.length > 0) {
      problems.push(
        `The ring did not heal within ${seconds(healTimeoutMs)} after ${what}${beyond}; ${count(churn.ringProblems.length, 'table entry', 'table entries')} still wrong, first:`,
        ...churn.ringProblems.slice(0, SHOWN).map((p) => `  ${describeRingProblem(p, nameOf)}`),
      );
    } else {
      problems.push(
        `The ring's tables healed after ${what}${beyond}, but lookups still failed after ${seconds(healTimeoutMs)}, last:`,
        ...(churn.lookups?.failed ?? []).map((f) => `  ${f}`),
      );
    }
  }
  const regs = churn.registrations;
  if (regs && regs.found < regs.checked) {
    problems.push(
      `After ${what}, ${regs.checked - regs.found} of ${regs.checked} survivors' registrations were lost, first:`,
      ...regs.missing.map((m) => `  ${m}`),
    );
  }
  return problems;
}

/** "12 ms", "3.4 s", "152 s". */
export function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms < 100_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
