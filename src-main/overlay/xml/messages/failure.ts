import type { MessageCodec } from '../message-codec.ts';
import { addLeaf, checkLine, checkUint32, parseUint32, readChildren, requiredText } from '../fields.ts';

/** Failure codes follow SIP's status classes; docs/PROTOCOL.md lists the ones in use. */
export const FAILURE_CODE_MIN = 100;
export const FAILURE_CODE_MAX = 699;

/**
 * Any known overlay: the overlay-level reason a request could not be served.
 *
 * Paper, section 4.2: "This step is continued until the joining node receives a P2P success or a
 * failure in its REGISTER reply." The paper names the outcome but not its body; this is it.
 */
export interface Failure {
  readonly kind: 'Failure';
  /** 100 to 699, in the sense of the SIP status classes. */
  readonly code: number;
  /** One line for a person. */
  readonly reason: string;
}

export const failureCodec: MessageCodec<Failure> = {
  element: 'Failure',

  build(parent, message) {
    const element = parent.ele('Failure');
    const code = checkUint32(message.code, 'Failure/Code', FAILURE_CODE_MIN, FAILURE_CODE_MAX);
    addLeaf(element, 'Code', String(code));
    addLeaf(element, 'Reason', checkLine(message.reason, 'Failure/Reason'));
  },

  parse(element, path) {
    const children = readChildren(element, path, [{ name: 'Code' }, { name: 'Reason' }]);
    return {
      kind: 'Failure',
      code: parseUint32(
        requiredText(children, 'Code', path),
        `${path}/Code`,
        FAILURE_CODE_MIN,
        FAILURE_CODE_MAX,
      ),
      reason: checkLine(requiredText(children, 'Reason', path), `${path}/Reason`),
    };
  },
};
