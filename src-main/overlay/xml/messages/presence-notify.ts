import type { MessageCodec } from '../message-codec.ts';
import {
  addLeaf,
  checkLine,
  checkSipUrl,
  checkUint53,
  optionalText,
  parseUint53,
  readChildren,
  requiredText,
} from '../fields.ts';
import { checkPresenceStatus } from './presence-status.ts';
import type { PresenceStatus } from './presence-status.ts';

/**
 * Presence layer: the rendezvous node of an AOR tells a subscriber its status, as the answer to
 * SubscribePresence and pushed (a request of its own, answered with Ack) whenever the status
 * changes, including a publication that expired (the device vanished). `sequence` grows with
 * every notification one rendezvous node sends, so that a late datagram cannot undo a newer
 * one. **[not in the paper]**
 */
export interface PresenceNotify {
  readonly kind: 'PresenceNotify';
  readonly aor: string;
  readonly status: PresenceStatus;
  /** The note of the newest online device, if it gave one. */
  readonly note?: string;
  readonly sequence: number;
}

const PATH = 'PresenceNotify';

export const presenceNotifyCodec: MessageCodec<PresenceNotify> = {
  element: 'PresenceNotify',

  build(parent, message) {
    const element = parent.ele('PresenceNotify');
    addLeaf(element, 'AOR', checkSipUrl(message.aor, `${PATH}/AOR`));
    addLeaf(element, 'Status', checkPresenceStatus(message.status, `${PATH}/Status`));
    if (message.note !== undefined) addLeaf(element, 'Note', checkLine(message.note, `${PATH}/Note`));
    addLeaf(element, 'Sequence', String(checkUint53(message.sequence, `${PATH}/Sequence`)));
  },

  parse(element, path) {
    const children = readChildren(element, path, [
      { name: 'AOR' },
      { name: 'Status' },
      { name: 'Note', min: 0 },
      { name: 'Sequence' },
    ]);
    const note = optionalText(children, 'Note', path);
    return {
      kind: 'PresenceNotify',
      aor: checkSipUrl(requiredText(children, 'AOR', path), `${path}/AOR`),
      status: checkPresenceStatus(requiredText(children, 'Status', path), `${path}/Status`),
      ...(note === undefined ? {} : { note: checkLine(note, `${path}/Note`) }),
      sequence: parseUint53(requiredText(children, 'Sequence', path), `${path}/Sequence`),
    };
  },
};
