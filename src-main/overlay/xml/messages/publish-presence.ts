import type { MessageCodec } from '../message-codec.ts';
import {
  addLeaf,
  checkLine,
  checkSipUrl,
  checkUint32,
  optionalText,
  parseUint32,
  readChildren,
  requiredText,
} from '../fields.ts';
import { checkPresenceStatus } from './presence-status.ts';

/** The longest a publication or subscription may ask to live: one day, in seconds. */
export const PRESENCE_MAX_EXPIRES = 86_400;

/**
 * Presence layer: a device tells the rendezvous node of its user's AOR (the node responsible for
 * SHA-1("presence:" + AOR) in the presence overlay) that the user is online or offline on it,
 * for `expires` seconds; 0 withdraws it (a graceful leave). The device is the verified sender:
 * its NodeID is not repeated, and only a device whose certificate carries the AOR may publish
 * for it. Answered with Ack. **[not in the paper]**
 */
export interface PublishPresence {
  readonly kind: 'PublishPresence';
  readonly aor: string;
  readonly status: 'online' | 'offline';
  /** One line for a person ("in a meeting"), optional. */
  readonly note?: string;
  /** Seconds; 0 withdraws the publication. */
  readonly expires: number;
}

const PATH = 'PublishPresence';

export const publishPresenceCodec: MessageCodec<PublishPresence> = {
  element: 'PublishPresence',

  build(parent, message) {
    const element = parent.ele('PublishPresence');
    addLeaf(element, 'AOR', checkSipUrl(message.aor, `${PATH}/AOR`));
    addLeaf(element, 'Status', checkPresenceStatus(message.status, `${PATH}/Status`, ['online', 'offline']));
    if (message.note !== undefined) addLeaf(element, 'Note', checkLine(message.note, `${PATH}/Note`));
    addLeaf(
      element,
      'Expires',
      String(checkUint32(message.expires, `${PATH}/Expires`, 0, PRESENCE_MAX_EXPIRES)),
    );
  },

  parse(element, path) {
    const children = readChildren(element, path, [
      { name: 'AOR' },
      { name: 'Status' },
      { name: 'Note', min: 0 },
      { name: 'Expires' },
    ]);
    const note = optionalText(children, 'Note', path);
    return {
      kind: 'PublishPresence',
      aor: checkSipUrl(requiredText(children, 'AOR', path), `${path}/AOR`),
      status: checkPresenceStatus(requiredText(children, 'Status', path), `${path}/Status`, [
        'online',
        'offline',
      ]),
      ...(note === undefined ? {} : { note: checkLine(note, `${path}/Note`) }),
      expires: parseUint32(
        requiredText(children, 'Expires', path),
        `${path}/Expires`,
        0,
        PRESENCE_MAX_EXPIRES,
      ),
    };
  },
};
