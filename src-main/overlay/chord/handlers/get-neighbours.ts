import { toRef } from '../peer.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/** "Who are your neighbours?": how a node checks one of its fingers for a closer node. */
export const getNeighbours: Handler = (core) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const { tables } = core;
  return answer({
    kind: 'Neighbours',
    ...(tables.predecessor ? { predecessor: toRef(tables.predecessor) } : {}),
    successors: tables.successors.list().map(toRef),
    bindings: [],
  });
};
