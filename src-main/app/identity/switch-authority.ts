import { createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { P2pXmlError, switchLayerSignedText } from '../../overlay/xml/index.ts';
import type { SwitchLayer } from '../../overlay/xml/index.ts';

/** An announcement before the CA signs it. */
export type UnsignedSwitchLayer = Omit<SwitchLayer, 'kind' | 'authority'>;

/**
 * Periods of the layer's refresh that a switch keeps the old overlay running, by default: two
 * for the news to reach every peer, two for the new overlay to settle, the move, four more for
 * the peers that look up the old overlay first.
 */
export const RETIRE_AFTER_PERIODS = 8;
/** The default RetireAfter: eight periods of the login server's default 60 s refresh. */
export const DEFAULT_RETIRE_AFTER_MS = RETIRE_AFTER_PERIODS * 60_000;

/**
 * The login server's side of a switch (docs/PROTOCOL.md section 10): the operator's order,
 * signed with the CA key over the codec's `switchLayerSignedText` (RSA PKCS#1 v1.5, SHA-256), the
 * same way the CA signs its revocation list. Only whoever holds the CA key can switch a layer.
 */
export function issueSwitchAnnouncement(
  fields: Omit<UnsignedSwitchLayer, 'issuedAt' | 'retireAfterMs'> & {
    issuedAt?: string;
    retireAfterMs?: number;
  },
  caPrivateKey: string | KeyObject,
): SwitchLayer {
  const key = typeof caPrivateKey === 'string' ? createPrivateKey(caPrivateKey) : caPrivateKey;
  const unsigned: UnsignedSwitchLayer = {
    layer: fields.layer,
    algorithm: fields.algorithm,
    epoch: fields.epoch,
    seed: fields.seed,
    issuedAt: fields.issuedAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    retireAfterMs: fields.retireAfterMs ?? DEFAULT_RETIRE_AFTER_MS,
  };
  const authority = sign('sha256', Buffer.from(switchLayerSignedText(unsigned), 'utf8'), key).toString(
    'base64',
  );
  return { kind: 'SwitchLayer', ...unsigned, authority };
}

/** The CA's public key, from the CA certificate every logged-in peer holds. */
export function caPublicKey(caCertPem: string): KeyObject {
  return new X509Certificate(caCertPem).publicKey;
}

/** Whether the CA signed exactly these fields. A malformed field was not signed by the CA either. */
export function verifySwitchAuthority(message: SwitchLayer, caKey: KeyObject): boolean {
  if (!message.authority) return false;
  let text: string;
  try {
    text = switchLayerSignedText(message);
  } catch (error) {
    if (error instanceof P2pXmlError) return false;
    throw error;
  }
  return verify('sha256', Buffer.from(text, 'utf8'), caKey, Buffer.from(message.authority, 'base64'));
}
