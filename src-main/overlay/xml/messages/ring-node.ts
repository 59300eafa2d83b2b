import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { addLeaf, checkNodeId, checkSipUrl, readChildren, requiredText } from '../fields.ts';
import type { XmlElement } from '../xml-tree.ts';

/**
 * A node of the ring as the chord algorithm names it (overlay.ts NodeRef: `{ id, url }`). On the
 * wire it is an element named for its role (`Owner`, `Next`, `Successor`, …) holding the paper's
 * `NodeID` and `NodeURL`, in that order, as in a `Finger`. The bootstrap messages predate it and
 * keep their own forms (BootstrapOK's SuccessorURL/SuccessorID, the codec's NodeRef).
 */
export interface RingNode {
  /** 40 lowercase hex digits. */
  readonly id: string;
  /** sip:HOST:PORT, the paper's NodeURL. */
  readonly url: string;
}

/** Appends `<name><NodeID>…</NodeID><NodeURL>…</NodeURL></name>` to parent. */
export function addRingNode(parent: XMLBuilder, name: string, node: RingNode, path: string): void {
  const element = parent.ele(name);
  addLeaf(element, 'NodeID', checkNodeId(node.id, `${path}/NodeID`));
  addLeaf(element, 'NodeURL', checkSipUrl(node.url, `${path}/NodeURL`));
}

/** One `<name>` element per node, in list order. */
export function addRingNodes(
  parent: XMLBuilder,
  name: string,
  nodes: readonly RingNode[],
  path: string,
): void {
  nodes.forEach((node, i) => addRingNode(parent, name, node, `${path}/${name}[${i + 1}]`));
}

export function parseRingNode(element: XmlElement, path: string): RingNode {
  const fields = readChildren(element, path, [{ name: 'NodeID' }, { name: 'NodeURL' }]);
  return {
    id: checkNodeId(requiredText(fields, 'NodeID', path), `${path}/NodeID`),
    url: checkSipUrl(requiredText(fields, 'NodeURL', path), `${path}/NodeURL`),
  };
}

/** The nodes of the repeated child `name`, from the result of readChildren. */
export function parseRingNodes(children: Map<string, XmlElement[]>, name: string, path: string): RingNode[] {
  return children.get(name)!.map((element, i) => parseRingNode(element, `${path}/${name}[${i + 1}]`));
}

/** The node of the optional child `name`, or undefined when absent. */
export function parseOptionalRingNode(
  children: Map<string, XmlElement[]>,
  name: string,
  path: string,
): RingNode | undefined {
  const element = children.get(name)![0];
  return element === undefined ? undefined : parseRingNode(element, `${path}/${name}`);
}
