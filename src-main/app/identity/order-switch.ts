import type { NodeRef, OverlayReply } from '../../overlay/overlay.ts';
import type { SwitchLayer } from '../../overlay/xml/index.ts';
import type { LoginServer } from '../../trust/login-server/index.ts';
import { issueSwitchAnnouncement } from './switch-authority.ts';

export interface SwitchOrder {
  layer: string;
  algorithm: string;
  /** The peer that will create the new overlay (and is handed the announcement first). */
  seed: NodeRef;
  /** Every peer keeps the old overlay this long (the announcement's RetireAfter). */
  retireAfterMs?: number;
  /** The epoch the seed has reached (the order's epoch is above it and above the server's record). */
  after?: number;
}

/**
 * The operator's order at the login server (docs/PROTOCOL.md section 10.1): the next epoch of the
 * layer, signed with the CA key and handed to the seed by `deliver`, from where it floods. Once
 * the seed accepts it, the order is recorded in the server's database, so that every peer that
 * logs in from then on joins the new algorithm. A refusal is returned as it came, recording
 * nothing.
 */
export async function orderSwitch(
  ls: LoginServer,
  order: SwitchOrder,
  deliver: (announcement: SwitchLayer) => Promise<OverlayReply>,
): Promise<{ announcement: SwitchLayer; reply: OverlayReply }> {
  const recorded = ls.layerStates().find((state) => state.layer === order.layer)?.epoch ?? 0;
  const epoch = Math.max(recorded, order.after ?? 0) + 1;
  const announcement = issueSwitchAnnouncement(
    {
      layer: order.layer,
      algorithm: order.algorithm,
      epoch,
      seed: order.seed,
      retireAfterMs: order.retireAfterMs,
    },
    ls.context.ca.key,
  );
  const reply = await deliver(announcement);
  if (reply.ok) ls.recordLayerSwitch({ layer: order.layer, algorithm: order.algorithm, epoch });
  return { announcement, reply };
}
