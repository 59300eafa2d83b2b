import { readId, readNodes } from '../message-fields.ts';
import { toRef } from '../peer.ts';
import { toPosition } from '../ring.ts';
import { answer, refuse, refuseUnlessMember, type Handler } from './handler.ts';

/** One hop of an iterative lookup: the owner if my tables know it, else the closest node before the key. */
export const findSuccessor: Handler = (core, _from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const key = toPosition(readId(message, 'key'));
  const avoid = new Set(readNodes(message, 'avoid').map((node) => node.id));
  const step = core.tables.step(key, avoid);
  if (step === null) return refuse(480, 'No route: every node I know is among those to avoid');
  if ('next' in step) return answer({ kind: 'FindSuccessorForward', next: toRef(step.next) });
  return answer({
    kind: 'FindSuccessorOK',
    owner: toRef(step.owner),
    ...(step.predecessor ? { predecessor: toRef(step.predecessor) } : {}),
    successors: step.successors.map(toRef),
  });
};
