import { create } from 'xmlbuilder2';
import { P2P_XML_NAMESPACE, P2P_XML_VERSION } from './constants.ts';
import { checkBase64, checkFingerprint, checkToken } from './fields.ts';
import { codecFor, overlayVocabulary } from './message-table.ts';
import type { P2pDocument } from './p2p-document.ts';
import { P2pXmlError } from './p2p-xml-error.ts';

/**
 * Writes a body: no XML declaration (UTF-8 is the default and every byte counts under RFC 3261's
 * 1300-byte UDP limit), no whitespace between elements, attributes and children always in the same
 * order, so that the same document always gives the same text. Throws P2pXmlError for a value that
 * parseP2pXml would refuse, for an UnknownMessage (its content was not kept) and for a message in
 * an overlay whose vocabulary does not have it.
 */
export function buildP2pXml(doc: P2pDocument): string {
  const root = create().ele(P2P_XML_NAMESPACE, 'P2Pxml', { version: P2P_XML_VERSION });
  doc.overlays.forEach((part, i) => {
    const path = `P2Pxml/Overlay[${i + 1}]`;
    const overlay = root.ele('Overlay', {
      layer: checkToken(part.layer, `${path}/@layer`),
      algorithm: checkToken(part.algorithm, `${path}/@algorithm`),
    });
    const vocabulary = overlayVocabulary(part.layer, part.algorithm);
    for (const message of part.messages) {
      if (message.kind === 'unknown') {
        throw new P2pXmlError(`${path}: cannot build the unknown element <${message.name}>`);
      }
      if (vocabulary === undefined || !vocabulary.has(message.kind)) {
        throw new P2pXmlError(`${path}: ${message.kind} does not belong to ${part.layer}/${part.algorithm}`);
      }
      codecFor(message.kind).build(overlay, message);
    }
  });
  const credential = doc.credential;
  if (credential?.kind === 'certificate') {
    root.ele('Certificate').txt(checkBase64(credential.certificate, 'P2Pxml/Certificate'));
  } else if (credential?.kind === 'certificate-ref') {
    root.ele('CertificateRef').txt(checkFingerprint(credential.fingerprint, 'P2Pxml/CertificateRef'));
  }
  if (doc.signature === '') root.ele('Signature');
  else if (doc.signature !== undefined)
    root.ele('Signature').txt(checkBase64(doc.signature, 'P2Pxml/Signature'));
  return root.end({ headless: true });
}
