import { UnknownOverlayMessageError } from '../../overlay.ts';
import type { ChordRequestKind } from '../chord-messages.ts';
import { bootstrapRegRequest } from './bootstrap-reg-request.ts';
import { findSuccessor } from './find-successor.ts';
import { getBindings } from './get-bindings.ts';
import { getNeighbours } from './get-neighbours.ts';
import type { Handler } from './handler.ts';
import { leave } from './leave.ts';
import { notify } from './notify.ts';
import { ping } from './ping.ts';
import { putBinding } from './put-binding.ts';
import { storeBindings } from './store-bindings.ts';
import { updateFingers } from './update-fingers.ts';

/** Every request a chord node answers, by kind (STYLE.md example 7). */
const HANDLERS: Readonly<Record<ChordRequestKind, Handler>> = {
  BootstrapRegRequest: bootstrapRegRequest,
  FindSuccessor: findSuccessor,
  Notify: notify,
  GetNeighbours: getNeighbours,
  Ping: ping,
  UpdateFingers: updateFingers,
  Leave: leave,
  StoreBindings: storeBindings,
  PutBinding: putBinding,
  GetBindings: getBindings,
};

/** The handler for a kind; UnknownOverlayMessageError for any other (answered with 400). */
export function handlerFor(kind: string): Handler {
  if (!Object.hasOwn(HANDLERS, kind)) throw new UnknownOverlayMessageError(kind);
  return HANDLERS[kind as ChordRequestKind];
}
