/**
 * NodeIDs: a peer's place on the Chord ring.
 *
 * ARCHITECTURE.md: "SHA-1 over the DER SubjectPublicKeyInfo of the public key: 40 lowercase hex
 * digits (the paper's 160-bit identifier; nobody chooses their place in the ring)". Because the
 * NodeID is a hash of the key, a certificate that names a NodeID its key does not hash to is
 * forged or broken; `describeCertificate` refuses such certificates.
 */
import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { publicKeyObject, spkiDer } from './key-pair.ts';

/** The subjectAltName URI that carries the NodeID in a user certificate. */
export const NODE_ID_URI_PREFIX = 'urn:chordline:node:';

const NODE_ID_PATTERN = /^[0-9a-f]{40}$/;

/** NodeID of a public key given as SPKI PEM (a certificate PEM works too). */
export function nodeIdOf(publicKeyPem: string): string {
  return nodeIdOfKey(publicKeyObject(publicKeyPem));
}

/** NodeID of a key object (private or public). */
export function nodeIdOfKey(key: KeyObject): string {
  return nodeIdOfSpki(spkiDer(key));
}

/** NodeID of a DER SubjectPublicKeyInfo. */
export function nodeIdOfSpki(spki: Uint8Array): string {
  return createHash('sha1').update(spki).digest('hex');
}

/** Whether a string has the NodeID shape (40 lowercase hex digits). */
export function isNodeId(value: string): boolean {
  return NODE_ID_PATTERN.test(value);
}

/** `urn:chordline:node:<NodeID>`. */
export function nodeIdUri(nodeId: string): string {
  return NODE_ID_URI_PREFIX + nodeId;
}
