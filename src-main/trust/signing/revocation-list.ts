import { createPrivateKey, sign, verify, type KeyObject } from 'node:crypto';

import { P2pXmlError, revocationListSignedText, type RevocationList } from '../../overlay/xml/index.ts';
import { bytesFromBase64 } from './certificate-encoding.ts';

/** A revocation list before the CA signs it. */
export type UnsignedRevocationList = Omit<RevocationList, 'kind' | 'signature'>;

/**
 * The login server signs its revocation list with the CA key (RSA PKCS#1 v1.5, SHA-256, base64)
 * over the codec's `revocationListSignedText`: the list's format and its signed text belong to the
 * p2p+xml protocol (docs/p2p.xsd, RevocationList), signing and verifying belong here.
 *
 * @throws P2pXmlError when a field would not survive the trip as XML (the list is then unusable).
 */
export function signRevocationList(
  list: UnsignedRevocationList,
  caPrivateKey: string | KeyObject,
): RevocationList {
  const key = typeof caPrivateKey === 'string' ? createPrivateKey(caPrivateKey) : caPrivateKey;
  const signature = sign('sha256', Buffer.from(revocationListSignedText(list), 'utf8'), key).toString(
    'base64',
  );
  return {
    kind: 'RevocationList',
    issuer: list.issuer,
    version: list.version,
    issued: list.issued,
    nextUpdate: list.nextUpdate,
    revoked: list.revoked,
    signature,
  };
}

/**
 * Whether the list carries the CA's signature over exactly its contents. A list whose fields do
 * not fit the protocol was not signed by our login server either, so it is simply not genuine.
 */
export function verifyRevocationList(list: RevocationList, caPublicKey: KeyObject): boolean {
  const signature = bytesFromBase64(list.signature);
  if (signature === undefined) return false;
  let text: string;
  try {
    text = revocationListSignedText(list);
  } catch (error) {
    if (error instanceof P2pXmlError) return false;
    throw error;
  }
  return verify('sha256', Buffer.from(text, 'utf8'), caPublicKey, signature);
}
