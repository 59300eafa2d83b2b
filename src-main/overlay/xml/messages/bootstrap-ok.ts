import type { MessageCodec } from '../message-codec.ts';
import type { XmlElement } from '../xml-tree.ts';
import { P2pXmlError } from '../p2p-xml-error.ts';
import {
  addLeaf,
  checkNodeId,
  checkSipUrl,
  checkUint32,
  optionalText,
  parseUint32,
  readChildren,
  requiredText,
} from '../fields.ts';

/** A node as the ring knows it. */
export interface NodeRef {
  readonly nodeId: string;
  readonly nodeUrl: string;
}

/** finger[i] of Chord: the first node that succeeds `start` = n + 2^(i-1) mod 2^160. */
export interface Finger extends NodeRef {
  /** The start of the finger's interval, a ring position written like a NodeID. */
  readonly start: string;
}

/** Chord's identifiers have 160 bits, so a finger table has at most 160 entries. */
export const MAX_FINGERS = 160;

/**
 * Identity layer, chord: "you belong next to me".
 *
 * Paper, section 4.2 (Figure 3 (b)): the bootstrap node "checks the identity to see if joining
 * node will be its neighbor. In that case, it updates its finger table with the user identity
 * information from the registration and sends out a reply to the REGISTER message with a
 * successXML body along with its signature." Section 5.2: "the joining node gets its position in
 * the chord network through the predecessor and successor information. It also receives a copy
 * of the predecessor's finger table as a starting point to build its finger table."
 */
export interface BootstrapOK {
  readonly kind: 'BootstrapOK';
  /** The answering node. */
  readonly nodeId: string;
  /** The joining node's successor. */
  readonly successor: NodeRef;
  /** The joining node's predecessor; absent while the answering node does not know one. */
  readonly predecessor?: NodeRef;
  /** Seconds between the REGISTER refreshes that keep the joining node's entries alive. */
  readonly refreshRate: number;
  /** A finger table to start from (the predecessor's), possibly empty. */
  readonly fingerTable: readonly Finger[];
}

const PATH = 'BootstrapOK';

export const bootstrapOkCodec: MessageCodec<BootstrapOK> = {
  element: 'BootstrapOK',

  build(parent, message) {
    const element = parent.ele('BootstrapOK');
    addLeaf(element, 'NodeID', checkNodeId(message.nodeId, `${PATH}/NodeID`));
    addLeaf(element, 'SuccessorURL', checkSipUrl(message.successor.nodeUrl, `${PATH}/SuccessorURL`));
    addLeaf(element, 'SuccessorID', checkNodeId(message.successor.nodeId, `${PATH}/SuccessorID`));
    if (message.predecessor !== undefined) {
      addLeaf(element, 'PredecessorURL', checkSipUrl(message.predecessor.nodeUrl, `${PATH}/PredecessorURL`));
      addLeaf(element, 'PredecessorID', checkNodeId(message.predecessor.nodeId, `${PATH}/PredecessorID`));
    }
    addLeaf(element, 'RefreshRate', String(checkUint32(message.refreshRate, `${PATH}/RefreshRate`)));
    if (message.fingerTable.length > MAX_FINGERS) {
      throw new P2pXmlError(`${PATH}/FingerTable has more than ${MAX_FINGERS} fingers`);
    }
    const table = element.ele('FingerTable');
    for (const finger of message.fingerTable) {
      const entry = table.ele('Finger');
      addLeaf(entry, 'Start', checkNodeId(finger.start, `${PATH}/FingerTable/Finger/Start`));
      addLeaf(entry, 'NodeID', checkNodeId(finger.nodeId, `${PATH}/FingerTable/Finger/NodeID`));
      addLeaf(entry, 'NodeURL', checkSipUrl(finger.nodeUrl, `${PATH}/FingerTable/Finger/NodeURL`));
    }
  },

  parse(element, path) {
    const children = readChildren(element, path, [
      { name: 'NodeID' },
      { name: 'SuccessorURL' },
      { name: 'SuccessorID' },
      { name: 'PredecessorURL', min: 0 },
      { name: 'PredecessorID', min: 0 },
      { name: 'RefreshRate' },
      { name: 'FingerTable', min: 0 },
    ]);
    const predecessorUrl = optionalText(children, 'PredecessorURL', path);
    const predecessorId = optionalText(children, 'PredecessorID', path);
    if ((predecessorUrl === undefined) !== (predecessorId === undefined)) {
      throw new P2pXmlError(`${path} must have both PredecessorURL and PredecessorID, or neither`);
    }
    const table = children.get('FingerTable')![0];
    const ok: BootstrapOK = {
      kind: 'BootstrapOK',
      nodeId: checkNodeId(requiredText(children, 'NodeID', path), `${path}/NodeID`),
      successor: {
        nodeId: checkNodeId(requiredText(children, 'SuccessorID', path), `${path}/SuccessorID`),
        nodeUrl: checkSipUrl(requiredText(children, 'SuccessorURL', path), `${path}/SuccessorURL`),
      },
      refreshRate: parseUint32(requiredText(children, 'RefreshRate', path), `${path}/RefreshRate`),
      // An absent FingerTable reads as an empty one; build always writes the element.
      fingerTable: table === undefined ? [] : parseFingerTable(table, `${path}/FingerTable`),
    };
    if (predecessorUrl === undefined || predecessorId === undefined) return ok;
    const predecessor = {
      nodeId: checkNodeId(predecessorId, `${path}/PredecessorID`),
      nodeUrl: checkSipUrl(predecessorUrl, `${path}/PredecessorURL`),
    };
    return { ...ok, predecessor };
  },
};

function parseFingerTable(table: XmlElement, path: string): Finger[] {
  const fingers = readChildren(table, path, [{ name: 'Finger', min: 0, max: MAX_FINGERS }]).get('Finger')!;
  return fingers.map((finger, i) => {
    const at = `${path}/Finger[${i + 1}]`;
    const fields = readChildren(finger, at, [{ name: 'Start' }, { name: 'NodeID' }, { name: 'NodeURL' }]);
    return {
      start: checkNodeId(requiredText(fields, 'Start', at), `${at}/Start`),
      nodeId: checkNodeId(requiredText(fields, 'NodeID', at), `${at}/NodeID`),
      nodeUrl: checkSipUrl(requiredText(fields, 'NodeURL', at), `${at}/NodeURL`),
    };
  });
}
