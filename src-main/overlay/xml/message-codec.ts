import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { XmlElement } from './xml-tree.ts';

/**
 * How one message type travels: one file per type under messages/, registered by element name in
 * message-table.ts (STYLE.md example 7).
 *
 * `build` MUST append exactly one element named `element` to `parent` and MUST refuse (throw
 * P2pXmlError) a value that `parse` would refuse. `parse` MUST accept every element `build`
 * produces and return an equal message; it receives the element and the path to it, for errors.
 */
export interface MessageCodec<M extends { readonly kind: string }> {
  readonly element: M['kind'];
  build(parent: XMLBuilder, message: M): void;
  parse(element: XmlElement, path: string): M;
}
