import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import {
  addLeaf,
  checkFingerprint,
  checkNodeId,
  checkSipUrl,
  checkUint53,
  parseUint53,
  readChildren,
  requiredText,
} from '../fields.ts';
import type { XmlElement } from '../xml-tree.ts';

/**
 * A user's registration as the ring stores and replicates it (chord-messages.ts StoredBinding: the
 * overlay contract's Binding plus when its device wrote it). On the wire:
 *
 *   <Binding><AOR/><Contact/><NodeID/><CertificateFingerprint/><Expires/><Written/></Binding>
 *
 * Times are milliseconds since the epoch as decimal integers, so that they come back exactly; a
 * write whose Expires is not after its Written is a removal (REGISTER Expires: 0).
 */
export interface StoredBinding {
  /** The user's address of record, sip:user@domain. */
  readonly aor: string;
  /** Where a device of that user takes calls (its REGISTER Contact URI). */
  readonly contact: string;
  /** The NodeID of the device. */
  readonly nodeId: string;
  /** SHA-256 over the DER of the device's certificate, 64 lowercase hex digits. */
  readonly certificateFingerprint: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** Milliseconds since the epoch on the writing device's clock; the newer write wins. */
  readonly writtenAt: number;
}

export function addBinding(parent: XMLBuilder, binding: StoredBinding, path: string): void {
  const element = parent.ele('Binding');
  addLeaf(element, 'AOR', checkSipUrl(binding.aor, `${path}/AOR`));
  addLeaf(element, 'Contact', checkSipUrl(binding.contact, `${path}/Contact`));
  addLeaf(element, 'NodeID', checkNodeId(binding.nodeId, `${path}/NodeID`));
  addLeaf(
    element,
    'CertificateFingerprint',
    checkFingerprint(binding.certificateFingerprint, `${path}/CertificateFingerprint`),
  );
  addLeaf(element, 'Expires', String(checkUint53(binding.expiresAt, `${path}/Expires`)));
  addLeaf(element, 'Written', String(checkUint53(binding.writtenAt, `${path}/Written`)));
}

/** One `<Binding>` per binding, in list order. */
export function addBindings(parent: XMLBuilder, bindings: readonly StoredBinding[], path: string): void {
  bindings.forEach((binding, i) => addBinding(parent, binding, `${path}/Binding[${i + 1}]`));
}

export function parseBinding(element: XmlElement, path: string): StoredBinding {
  const fields = readChildren(element, path, [
    { name: 'AOR' },
    { name: 'Contact' },
    { name: 'NodeID' },
    { name: 'CertificateFingerprint' },
    { name: 'Expires' },
    { name: 'Written' },
  ]);
  return {
    aor: checkSipUrl(requiredText(fields, 'AOR', path), `${path}/AOR`),
    contact: checkSipUrl(requiredText(fields, 'Contact', path), `${path}/Contact`),
    nodeId: checkNodeId(requiredText(fields, 'NodeID', path), `${path}/NodeID`),
    certificateFingerprint: checkFingerprint(
      requiredText(fields, 'CertificateFingerprint', path),
      `${path}/CertificateFingerprint`,
    ),
    expiresAt: parseUint53(requiredText(fields, 'Expires', path), `${path}/Expires`),
    writtenAt: parseUint53(requiredText(fields, 'Written', path), `${path}/Written`),
  };
}

/** The bindings of the repeated child `Binding`, from the result of readChildren. */
export function parseBindings(children: Map<string, XmlElement[]>, path: string): StoredBinding[] {
  return children.get('Binding')!.map((element, i) => parseBinding(element, `${path}/Binding[${i + 1}]`));
}
