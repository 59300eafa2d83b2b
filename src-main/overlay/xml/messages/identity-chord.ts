import type { Ack } from './ack.ts';
import type { Bindings } from './bindings.ts';
import type { FindSuccessor } from './find-successor.ts';
import type { FindSuccessorForward } from './find-successor-forward.ts';
import type { FindSuccessorOK } from './find-successor-ok.ts';
import type { FingersUpdated } from './fingers-updated.ts';
import type { GetBindings } from './get-bindings.ts';
import type { GetNeighbours } from './get-neighbours.ts';
import type { Leave } from './leave.ts';
import type { Neighbours } from './neighbours.ts';
import type { Notify } from './notify.ts';
import type { Ping } from './ping.ts';
import type { Pong } from './pong.ts';
import type { PutBinding } from './put-binding.ts';
import type { Redirect } from './redirect.ts';
import type { StoreBindings } from './store-bindings.ts';
import type { UpdateFingers } from './update-fingers.ts';

/**
 * The chord algorithm's own messages, beyond the three bootstrap messages of the join: one per
 * kind of src-main/overlay/chord/chord-messages.ts, with the same kind and field names, so that a
 * chord message survives buildP2pXml and parseP2pXml deep-equal. A test keeps the two in step.
 */
export type IdentityChordMessage =
  | FindSuccessor
  | FindSuccessorOK
  | FindSuccessorForward
  | Notify
  | GetNeighbours
  | Neighbours
  | Ping
  | Pong
  | UpdateFingers
  | FingersUpdated
  | Leave
  | StoreBindings
  | PutBinding
  | GetBindings
  | Bindings
  | Redirect
  | Ack;
