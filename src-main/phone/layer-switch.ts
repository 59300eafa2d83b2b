import type { IdentityLayer } from '../app/identity/identity-layer.ts';
import { orderSwitch } from '../app/identity/order-switch.ts';
import { RETIRE_AFTER_PERIODS } from '../app/identity/switch-authority.ts';
import type { LoginServer } from '../trust/login-server/index.ts';
import { PHONE_ERROR_CODES as CODES, PhoneCommandError } from '../ipc/phone-error.ts';

export interface LayerSwitchOrder {
  identity: IdentityLayer;
  /** The network's login server: only the phone that created the network hosts it (and its CA key). */
  loginServer: LoginServer;
  /** The algorithms the identity layer runs here. */
  algorithms: readonly string[];
  algorithm: string;
  /** The network's refresh period. */
  refreshMs: number;
}

/**
 * The operator's switch of the identity layer (docs/PROTOCOL.md section 10.1): the order,
 * signed with the CA key, for the epoch after this peer's, with this peer as the seed that
 * creates the new overlay; handed to this peer's own identity layer as if it had arrived, from
 * where it floods. Resolves once this peer accepted it (the switch then runs in the background);
 * a refusal, here or by the layer (403, 409, 501), is a 'switch-refused' in words a person can
 * act on.
 */
export async function switchIdentityLayer(order: LayerSwitchOrder): Promise<void> {
  const { identity, algorithm } = order;
  const active = identity.active.algorithm;
  if (identity.phase.switching) {
    throw refused(
      `The identity layer is already switching (epoch ${identity.epoch}): wait until it shows OK, then switch again`,
    );
  }
  if (active === algorithm) throw refused(`The identity layer already runs ${algorithm}: nothing to switch`);
  if (!order.algorithms.includes(algorithm)) {
    throw refused(
      `This phone cannot run ${algorithm} for the identity layer: choose one of ${order.algorithms.join(', ')}`,
    );
  }
  // Every peer keeps the old overlay this long (RetireAfter), in this network's refresh periods.
  const { reply } = await orderSwitch(
    order.loginServer,
    {
      layer: 'identity',
      algorithm,
      seed: identity.active.self,
      retireAfterMs: RETIRE_AFTER_PERIODS * order.refreshMs,
      after: identity.epoch,
    },
    (announcement) => identity.announce(announcement),
  );
  if (!reply.ok) {
    throw refused(`The identity layer did not switch to ${algorithm}: ${reply.reason} (${reply.status})`);
  }
}

function refused(message: string): PhoneCommandError {
  return new PhoneCommandError(CODES.switchRefused, message);
}
