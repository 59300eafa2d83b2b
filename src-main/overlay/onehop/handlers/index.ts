import { UnknownOverlayMessageError } from '../../overlay.ts';
import type { OneHopRequestKind } from '../onehop-messages.ts';
import { bootstrapRegRequest } from './bootstrap-reg-request.ts';
import { getBindings } from './get-bindings.ts';
import { getMembers } from './get-members.ts';
import { gossip } from './gossip.ts';
import type { Handler } from './handler.ts';
import { leave } from './leave.ts';
import { putBinding } from './put-binding.ts';
import { storeBindings } from './store-bindings.ts';

/** Every request a onehop node answers, by kind (STYLE.md example 7). */
const HANDLERS: Readonly<Record<OneHopRequestKind, Handler>> = {
  BootstrapRegRequest: bootstrapRegRequest,
  Gossip: gossip,
  GetMembers: getMembers,
  Leave: leave,
  StoreBindings: storeBindings,
  PutBinding: putBinding,
  GetBindings: getBindings,
};

/** The handler for a kind; UnknownOverlayMessageError for any other (answered with 400). */
export function handlerFor(kind: string): Handler {
  if (!Object.hasOwn(HANDLERS, kind)) throw new UnknownOverlayMessageError(kind);
  return HANDLERS[kind as OneHopRequestKind];
}
