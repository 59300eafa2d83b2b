import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkUint32, parseUint32, readChildren, requiredText } from '../fields.ts';

/**
 * Identity layer, chord: the refresh a node sends its successor every RefreshRate seconds (the
 * paper's REGISTER refresh, docs/PROTOCOL.md section 6), which doubles as Chord's stabilize and
 * notify: "I think I am your predecessor". Answered with Neighbours.
 * **[not in the paper]** the message.
 */
export interface Notify {
  readonly kind: 'Notify';
  /**
   * 1 from a node that has just joined: if the receiver now takes it as its predecessor, the
   * answer carries the bindings the newcomer must hold from now on. 0 for a plain refresh.
   */
  readonly handover: number;
}

export const notifyCodec: MessageCodec<Notify> = {
  element: 'Notify',

  build(parent, message) {
    const element = parent.ele('Notify');
    addLeaf(element, 'Handover', String(checkUint32(message.handover, 'Notify/Handover')));
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Handover' }]);
    return {
      kind: 'Notify',
      handover: parseUint32(requiredText(children, 'Handover', path), `${path}/Handover`),
    };
  },
};
