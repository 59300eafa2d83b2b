import { readBindings, readNodes, readOptionalNode } from '../message-fields.ts';
import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/**
 * A neighbour leaves gracefully (paper, section 4.2: "The nodes that are impacted change their
 * finger table entries and/or their predecessor/successor links appropriately"). Its successor
 * takes its bindings and its predecessor; its predecessor takes its successors.
 */
export const leave: Handler = (core, from, message) => {
  const refusal = refuseUnlessMember(core);
  if (refusal) return refusal;
  const predecessor = readOptionalNode(message, 'predecessor');
  const successors = readNodes(message, 'successors');
  core.mergeBindings(readBindings(message, 'bindings'));
  const wasPredecessor = core.tables.predecessor?.id === from.id;
  core.forget(from);
  if (wasPredecessor && predecessor && predecessor.id !== core.self.id) core.setPredecessor(predecessor);
  for (const node of successors)
    if (node.id !== core.self.id && !core.isDead(node.id)) core.tables.successors.insert(node);
  return answer({ kind: 'Ack' });
};
