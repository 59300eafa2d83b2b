import type { LayerHealth, LayerName, LayerSwitchOutcome, LayerView } from '../../src-main/ipc/contract.ts';
import { formatWhen } from './format-when.ts';

const TITLES: Record<LayerName, string> = {
  device: 'Device',
  trust: 'Trust',
  identity: 'Identity',
  presence: 'Presence',
};

/** What each layer is for, in a few words (paper, section 2). */
const PURPOSES: Record<LayerName, string> = {
  device: 'which devices there are: desktop or mobile, reachable, up how long',
  trust: 'who may join: certificates, revocations',
  identity: 'where each person’s phone is: calls find it',
  presence: 'who is online: your contacts’ dots',
};

const WORDS: Record<LayerHealth, string> = {
  ok: 'OK',
  switching: 'Switching',
  degraded: 'Degraded',
  down: 'Down',
};

export function layerTitle(layer: LayerName): string {
  return TITLES[layer];
}

export function layerPurpose(layer: LayerName): string {
  return PURPOSES[layer];
}

export function healthWord(health: LayerHealth): string {
  return WORDS[health];
}

/**
 * Why the operator cannot switch `layer` right now, or null when it can: not the phone that holds
 * the CA key, or a switch is already under way (a second one would be refused until it ends).
 */
export function switchBlocked(layer: LayerView, operator: boolean): string | null {
  if (!operator) {
    return 'Only the phone that created this network can switch its layers: it holds the network’s CA key, which signs the order.';
  }
  if (layer.phase !== 'steady') {
    return `A switch is under way (${layer.detail.charAt(0).toLowerCase()}${layer.detail.slice(1)}): wait until the ${TITLES[layer.layer].toLowerCase()} layer shows OK again.`;
  }
  return null;
}

/** "Switched the identity layer from chord to onehop at 14:02." */
export function switchOutcomeText(outcome: LayerSwitchOutcome, now: number = Date.now()): string {
  const layer = `the ${TITLES[outcome.layer].toLowerCase()} layer`;
  const when = formatWhen(outcome.at, now);
  if (outcome.outcome === 'done') {
    return `Switched ${layer} from ${outcome.from} to ${outcome.to} at ${when} (switch ${outcome.epoch}).`;
  }
  const why = outcome.reason ? `: ${outcome.reason}` : '';
  return `The switch of ${layer} to ${outcome.to} was given up at ${when}${why}. This phone still runs ${outcome.from}.`;
}
