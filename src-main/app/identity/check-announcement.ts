import type { KeyObject } from 'node:crypto';
import type { SwitchLayer } from '../../overlay/xml/index.ts';
import { verifySwitchAuthority } from './switch-authority.ts';

/** How far an announcement's IssuedAt may be from this peer's clock (it floods in seconds). */
export const ANNOUNCEMENT_MAX_AGE_MS = 10 * 60_000;
const CLOCK_SKEW_MS = 60_000;

/** What this peer knows when an announcement arrives. */
export interface AnnouncementContext {
  layer: string;
  /** The highest epoch this peer has acted on (0: never switched). */
  epoch: number;
  /** The algorithms this peer can run for the layer. */
  algorithms: readonly string[];
  /** A switch still under way here (a second one waits until it ends). */
  switching: { algorithm: string; epoch: number } | undefined;
  caKey: KeyObject;
  now: number;
}

export type AnnouncementVerdict = { ok: true } | { ok: false; status: number; reason: string };

/**
 * The checks a peer makes before it acts on a SwitchLayer, in this order, each refusal a
 * sentence an operator can act on: signed by this network's CA (403), fresh (403), for this
 * layer (400), newer than what it already did (409; the flood's duplicates end here too), an
 * algorithm it runs (501), and not in the middle of another switch (409).
 */
export function checkAnnouncement(message: SwitchLayer, context: AnnouncementContext): AnnouncementVerdict {
  if (!verifySwitchAuthority(message, context.caKey)) {
    return refuse(403, "Forbidden: the switch announcement is not signed by this network's CA");
  }
  const issued = Date.parse(message.issuedAt);
  if (!(context.now - issued <= ANNOUNCEMENT_MAX_AGE_MS) || issued - context.now > CLOCK_SKEW_MS) {
    return refuse(
      403,
      `Forbidden: the switch announcement was issued at ${message.issuedAt}, too far from now`,
    );
  }
  if (message.layer !== context.layer) {
    return refuse(400, `Bad Request: this is the ${context.layer} layer, not ${message.layer}`);
  }
  if (message.epoch <= context.epoch) {
    return refuse(
      409,
      `Conflict: switch epoch ${message.epoch} is not newer than epoch ${context.epoch}, already done here`,
    );
  }
  if (!context.algorithms.includes(message.algorithm)) {
    return refuse(
      501,
      `Not Implemented: this peer cannot run ${message.algorithm} (it knows ${context.algorithms.join(', ')})`,
    );
  }
  if (context.switching) {
    const { algorithm, epoch } = context.switching;
    return refuse(409, `Conflict: the switch to ${algorithm} (epoch ${epoch}) is still under way here`);
  }
  return { ok: true };
}

function refuse(status: number, reason: string): AnnouncementVerdict {
  return { ok: false, status, reason };
}
