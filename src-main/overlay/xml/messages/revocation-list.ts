import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { MessageCodec } from '../message-codec.ts';
import { P2pXmlError, excerpt } from '../p2p-xml-error.ts';
import type { XmlElement } from '../xml-tree.ts';
import {
  addLeaf,
  checkBase64,
  checkFingerprint,
  checkLine,
  checkSerial,
  checkTimestamp,
  checkUint32,
  parseUint32,
  readChildren,
  requiredText,
} from '../fields.ts';

/** RFC 5280 section 5.3.1 CRLReason names (removeFromCRL has no meaning in a full list). */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface RevokedCertificate {
  /** The certificate's serial number, lowercase hex as in the certificate. */
  readonly serial: string;
  /** SHA-256 over the certificate's DER, the same value a CertificateRef carries. */
  readonly fingerprint: string;
  readonly revokedAt: string;
  readonly reason: RevocationReason;
}

/**
 * Trust layer, login-server: the certificates the CA has withdrawn, signed by the CA itself so that
 * any peer can pass it on (it may ride in any trust-layer part, or inside CertificateIssued).
 * The paper is silent on revocation; see docs/PROTOCOL.md, "Revocation".
 */
export interface RevocationList {
  readonly kind: 'RevocationList';
  /** The CA certificate's subject, e.g. "CN=Chordline CA atlanta.com". */
  readonly issuer: string;
  /** Grows by one with every list the CA publishes; a peer keeps the highest it has verified. */
  readonly version: number;
  /** ISO 8601 UTC (2025-11-24T20:19:00Z). */
  readonly issued: string;
  /** When the CA will publish the next list at the latest; a list past this is stale. */
  readonly nextUpdate: string;
  readonly revoked: readonly RevokedCertificate[];
  /**
   * RSA PKCS#1 v1.5 / SHA-256 by the CA key over revocationListSignedText(list), base64. This is
   * the list's own `<Signature>` child, not the envelope's.
   */
  readonly signature: string;
}

/** First line of the signed text; a change of the text's shape gets a new one. */
export const REVOCATION_LIST_SIGNATURE_TAG = 'chordline-revocation-list-1';

/**
 * The exact text the CA signs (UTF-8): one "name: value" line per field and one line per revoked
 * certificate in document order, every line ending in "\n":
 *
 *   chordline-revocation-list-1
 *   issuer: CN=Chordline CA atlanta.com
 *   version: 3
 *   issued: 2025-11-24T20:00:00Z
 *   next-update: 2025-11-25T20:00:00Z
 *   revoked: <serial> <fingerprint> <revoked-at> <reason>
 *
 * Built from the values, not from the XML, so whitespace and escaping in the body do not matter.
 * It is unambiguous because Issuer is the only free text, is one line, and comes on its own line;
 * every other value is a fixed-alphabet token without spaces.
 */
export function revocationListSignedText(list: Omit<RevocationList, 'kind' | 'signature'>): string {
  const lines = [
    REVOCATION_LIST_SIGNATURE_TAG,
    `issuer: ${checkLine(list.issuer, 'RevocationList/Issuer')}`,
    `version: ${checkUint32(list.version, 'RevocationList/Version')}`,
    `issued: ${checkTimestamp(list.issued, 'RevocationList/Issued')}`,
    `next-update: ${checkTimestamp(list.nextUpdate, 'RevocationList/NextUpdate')}`,
    ...list.revoked.map((entry) => {
      checkRevoked(entry, 'RevocationList/Revoked');
      return `revoked: ${entry.serial} ${entry.fingerprint} ${entry.revokedAt} ${entry.reason}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

function checkRevoked(entry: RevokedCertificate, path: string): void {
  checkSerial(entry.serial, `${path}/Serial`);
  checkFingerprint(entry.fingerprint, `${path}/Fingerprint`);
  checkTimestamp(entry.revokedAt, `${path}/RevokedAt`);
  checkReason(entry.reason, `${path}/Reason`);
}

function checkReason(value: string, path: string): RevocationReason {
  if (!(REVOCATION_REASONS as readonly string[]).includes(value)) {
    throw new P2pXmlError(`${path} must be an RFC 5280 CRLReason name, got ${excerpt(value)}`);
  }
  return value as RevocationReason;
}

function buildRevocationList(parent: XMLBuilder, list: RevocationList): void {
  const element = parent.ele('RevocationList');
  addLeaf(element, 'Issuer', checkLine(list.issuer, 'RevocationList/Issuer'));
  addLeaf(element, 'Version', String(checkUint32(list.version, 'RevocationList/Version')));
  addLeaf(element, 'Issued', checkTimestamp(list.issued, 'RevocationList/Issued'));
  addLeaf(element, 'NextUpdate', checkTimestamp(list.nextUpdate, 'RevocationList/NextUpdate'));
  for (const entry of list.revoked) {
    checkRevoked(entry, 'RevocationList/Revoked');
    const revoked = element.ele('Revoked');
    addLeaf(revoked, 'Serial', entry.serial);
    addLeaf(revoked, 'Fingerprint', entry.fingerprint);
    addLeaf(revoked, 'RevokedAt', entry.revokedAt);
    addLeaf(revoked, 'Reason', entry.reason);
  }
  addLeaf(element, 'Signature', checkBase64(list.signature, 'RevocationList/Signature'));
}

function parseRevoked(element: XmlElement, path: string): RevokedCertificate {
  const children = readChildren(element, path, [
    { name: 'Serial' },
    { name: 'Fingerprint' },
    { name: 'RevokedAt' },
    { name: 'Reason' },
  ]);
  return {
    serial: checkSerial(requiredText(children, 'Serial', path), `${path}/Serial`),
    fingerprint: checkFingerprint(requiredText(children, 'Fingerprint', path), `${path}/Fingerprint`),
    revokedAt: checkTimestamp(requiredText(children, 'RevokedAt', path), `${path}/RevokedAt`),
    reason: checkReason(requiredText(children, 'Reason', path), `${path}/Reason`),
  };
}

function parseRevocationList(element: XmlElement, path: string): RevocationList {
  const children = readChildren(element, path, [
    { name: 'Issuer' },
    { name: 'Version' },
    { name: 'Issued' },
    { name: 'NextUpdate' },
    { name: 'Revoked', min: 0, max: Infinity },
    { name: 'Signature' },
  ]);
  return {
    kind: 'RevocationList',
    issuer: checkLine(requiredText(children, 'Issuer', path), `${path}/Issuer`),
    version: parseUint32(requiredText(children, 'Version', path), `${path}/Version`),
    issued: checkTimestamp(requiredText(children, 'Issued', path), `${path}/Issued`),
    nextUpdate: checkTimestamp(requiredText(children, 'NextUpdate', path), `${path}/NextUpdate`),
    revoked: children.get('Revoked')!.map((entry, i) => parseRevoked(entry, `${path}/Revoked[${i + 1}]`)),
    signature: checkBase64(requiredText(children, 'Signature', path), `${path}/Signature`),
  };
}

export const revocationListCodec: MessageCodec<RevocationList> = {
  element: 'RevocationList',
  build: buildRevocationList,
  parse: parseRevocationList,
};
