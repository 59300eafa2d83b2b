/**
 * What the tray shows: one of three icons and a tooltip.
 *
 *   offline ──(phase ready)──▶ ready ──(a call starts)──▶ in-call
 *      ▲                         │  ◀──(last call ends)──────┘
 *      └──(phase not ready)──────┘
 *
 * A call in progress wins over the phase: the person cares that they are on a call even while
 * the ring repairs itself.
 */
import type { AppStatus, CallView } from '../ipc/contract.ts';
import { partyName } from './call-book.ts';

export type TrayKind = 'ready' | 'offline' | 'in-call';

export interface TrayStatus {
  kind: TrayKind;
  tooltip: string;
}

export function trayStatus(status: AppStatus | null, calls: readonly CallView[]): TrayStatus {
  const { kind, tooltip } = describe(status, calls);
  // Windows cuts tray tooltips at 127 characters; cut them ourselves, visibly.
  return { kind, tooltip: tooltip.length > 120 ? `${tooltip.slice(0, 119)}…` : tooltip };
}

function describe(status: AppStatus | null, calls: readonly CallView[]): TrayStatus {
  const ringing = calls.find((c) => c.direction === 'incoming' && c.state === 'ringing');
  const active = calls.find((c) => c.state === 'active');
  const dialling = calls.find((c) => c.direction === 'outgoing' && c.state !== 'ended');
  if (active) return { kind: 'in-call', tooltip: `Chordline: in a call with ${partyName(active)}` };
  if (ringing) return { kind: 'in-call', tooltip: `Chordline: ${partyName(ringing)} is calling` };
  if (dialling) return { kind: 'in-call', tooltip: `Chordline: calling ${partyName(dialling)}` };
  if (status === null) return { kind: 'offline', tooltip: 'Chordline: starting' };
  switch (status.phase) {
    case 'ready':
      return {
        kind: 'ready',
        tooltip: `Chordline: ready${status.identity ? ` (${status.identity.aor})` : ''}`,
      };
    case 'starting':
      return { kind: 'offline', tooltip: 'Chordline: connecting' };
    case 'welcome':
      return { kind: 'offline', tooltip: 'Chordline: not set up yet' };
    case 'failed':
      return { kind: 'offline', tooltip: `Chordline: offline${status.problem ? `: ${status.problem}` : ''}` };
  }
}
