// `chordline lab`: a login server and N peers in one process, the ring checked end to end.

export { runLab } from './run-lab.ts';
export type { LabEvent, LabPhase, RunLabHooks } from './run-lab.ts';
export { resolveLabOptions, MAX_LAB_PEERS } from './lab-options.ts';
export type { LabOptions, ResolvedLabOptions } from './lab-options.ts';
export { InvalidLabOptionsError, LabInterruptedError, LabSetupError } from './lab-errors.ts';
export { labJson, labTotals } from './lab-report.ts';
export type { LabReport, LabTotals } from './lab-report.ts';
export { eventLines, progressText, summaryLines, verdict } from './lab-text.ts';
export { percentile, mean } from './percentile.ts';
