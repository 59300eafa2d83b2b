import type { KnownMessage, KnownMessageKind, P2pDocument } from './p2p-document.ts';

/**
 * The messages of one kind in a document, typed, in body order, from whichever overlay parts
 * speak it: `findMessages(doc, 'BootstrapOK')`. Unknown messages are never returned.
 */
export function findMessages<K extends KnownMessageKind>(
  doc: P2pDocument,
  kind: K,
  where?: { readonly layer: string; readonly algorithm: string },
): Extract<KnownMessage, { kind: K }>[] {
  const found: Extract<KnownMessage, { kind: K }>[] = [];
  for (const part of doc.overlays) {
    if (where !== undefined && (part.layer !== where.layer || part.algorithm !== where.algorithm)) continue;
    for (const message of part.messages) {
      if (message.kind === kind) found.push(message as Extract<KnownMessage, { kind: K }>);
    }
  }
  return found;
}
