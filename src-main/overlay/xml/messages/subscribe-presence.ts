import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkSipUrl, checkUint32, parseUint32, readChildren, requiredText } from '../fields.ts';
import { PRESENCE_MAX_EXPIRES } from './publish-presence.ts';

/**
 * Presence layer: a watcher asks the rendezvous node of an AOR to push it every change of that
 * AOR's status for `expires` seconds (0 ends the subscription). Answered with PresenceNotify
 * carrying the current status, so that subscribing costs one round trip. **[not in the paper]**
 */
export interface SubscribePresence {
  readonly kind: 'SubscribePresence';
  readonly aor: string;
  /** Seconds; 0 unsubscribes. */
  readonly expires: number;
}

const PATH = 'SubscribePresence';

export const subscribePresenceCodec: MessageCodec<SubscribePresence> = {
  element: 'SubscribePresence',

  build(parent, message) {
    const element = parent.ele('SubscribePresence');
    addLeaf(element, 'AOR', checkSipUrl(message.aor, `${PATH}/AOR`));
    addLeaf(
      element,
      'Expires',
      String(checkUint32(message.expires, `${PATH}/Expires`, 0, PRESENCE_MAX_EXPIRES)),
    );
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'AOR' }, { name: 'Expires' }]);
    return {
      kind: 'SubscribePresence',
      aor: checkSipUrl(requiredText(children, 'AOR', path), `${path}/AOR`),
      expires: parseUint32(
        requiredText(children, 'Expires', path),
        `${path}/Expires`,
        0,
        PRESENCE_MAX_EXPIRES,
      ),
    };
  },
};
