import { P2P_XML_NAMESPACE, P2P_XML_VERSION } from './constants.ts';
import { checkBase64, checkFingerprint, checkToken, leafText } from './fields.ts';
import { codecFor, overlayVocabulary } from './message-table.ts';
import type {
  KnownMessageKind,
  OverlayMessage,
  OverlayPart,
  P2pDocument,
  Credential,
} from './p2p-document.ts';
import { P2pXmlError, excerpt, tagName } from './p2p-xml-error.ts';
import { DEFAULT_MAX_BODY_BYTES, parseXmlTree } from './xml-tree.ts';
import type { XmlElement } from './xml-tree.ts';

export interface ParseOptions {
  /** Refuse bodies larger than this many UTF-8 bytes. Default 64 KiB. */
  readonly maxBytes?: number;
}

/**
 * Reads an application/p2p+xml body from an untrusted peer. Throws P2pXmlError for anything that is
 * not a well-formed, DTD-free body of the right shape: root <P2Pxml xmlns="urn:chordline:p2p:1"
 * version="1">, children Overlay*, then at most one of Certificate / CertificateRef, then at most
 * one Signature, which is last. Known messages are checked field by field; unknown elements in an
 * Overlay and unknown overlays are passed up (see OverlayPart).
 */
export function parseP2pXml(text: string, options: ParseOptions = {}): P2pDocument {
  const root = parseXmlTree(text, options.maxBytes ?? DEFAULT_MAX_BODY_BYTES);
  checkRoot(root);

  const overlays: OverlayPart[] = [];
  let credential: Credential | undefined;
  let signature: string | undefined;
  // The envelope order, as in docs/p2p.xsd: 0 = overlays, 1 = after the credential, 2 = after Signature.
  let stage = 0;
  for (const child of root.children) {
    const name = child.namespace === P2P_XML_NAMESPACE ? child.localName : undefined;
    const path = `P2Pxml/${child.name}`;
    if (name === 'Overlay' && stage === 0) {
      overlays.push(parseOverlay(child, `P2Pxml/Overlay[${overlays.length + 1}]`));
    } else if ((name === 'Certificate' || name === 'CertificateRef') && stage === 0) {
      const value = leafText(child, path);
      credential =
        name === 'Certificate'
          ? { kind: 'certificate', certificate: checkBase64(value, path) }
          : { kind: 'certificate-ref', fingerprint: checkFingerprint(value, path) };
      stage = 1;
    } else if (name === 'Signature' && stage < 2) {
      signature = checkBase64(leafText(child, path), path, true);
      stage = 2;
    } else if (
      name === 'Overlay' ||
      name === 'Certificate' ||
      name === 'CertificateRef' ||
      name === 'Signature'
    ) {
      throw new P2pXmlError(
        `${path} is out of place: the order is Overlay*, Certificate or CertificateRef, Signature (last)`,
      );
    } else {
      throw new P2pXmlError(
        `P2Pxml must not contain ${tagName(child.name)} (only Overlay, Certificate, CertificateRef, Signature)`,
      );
    }
  }

  const document: { -readonly [K in keyof P2pDocument]: P2pDocument[K] } = { overlays };
  if (credential !== undefined) document.credential = credential;
  if (signature !== undefined) document.signature = signature;
  return document;
}

function checkRoot(root: XmlElement): void {
  if (root.localName !== 'P2Pxml') {
    throw new P2pXmlError(`root element must be <P2Pxml>, found ${tagName(root.name)}`);
  }
  if (root.namespace !== P2P_XML_NAMESPACE) {
    throw new P2pXmlError(
      `<P2Pxml> must be in namespace ${P2P_XML_NAMESPACE}, found ${root.namespace === '' ? 'none' : excerpt(root.namespace, 64)}`,
    );
  }
  const version = root.attributes['version'];
  if (version !== P2P_XML_VERSION) {
    throw new P2pXmlError(
      `<P2Pxml> must have version="${P2P_XML_VERSION}", found ${version === undefined ? 'none' : excerpt(version)}`,
    );
  }
  if (root.text !== '')
    throw new P2pXmlError(`P2Pxml must contain elements only, found text ${excerpt(root.text)}`);
}

function parseOverlay(element: XmlElement, path: string): OverlayPart {
  const layer = checkToken(element.attributes['layer'] ?? '', `${path}/@layer`);
  const algorithm = checkToken(element.attributes['algorithm'] ?? '', `${path}/@algorithm`);
  if (element.text !== '') {
    throw new P2pXmlError(`${path} must contain elements only, found text ${excerpt(element.text)}`);
  }
  const vocabulary = overlayVocabulary(layer, algorithm);
  const messages = element.children.map((child): OverlayMessage => {
    const kind = child.localName as KnownMessageKind;
    if (vocabulary === undefined || child.namespace !== P2P_XML_NAMESPACE || !vocabulary.has(kind)) {
      return { kind: 'unknown', name: child.name };
    }
    return codecFor(kind).parse(child, `${path}/${kind}`);
  });
  return { layer, algorithm, messages };
}
