import type { MessageCodec } from '../message-codec.ts';
import {
  addLeaf,
  checkBase64,
  checkNodeId,
  checkSipUrl,
  checkTimestamp,
  checkToken,
  checkUint32,
  parseUint32,
  readChildren,
  requiredText,
} from '../fields.ts';
import { addRingNode, parseRingNode } from './ring-node.ts';
import type { RingNode } from './ring-node.ts';

/**
 * Any layer: the operator's order that `layer` switch to `algorithm` (paper, section 2: a layer
 * may change its P2P mechanism while the system runs; section 4.1: only the login server holds
 * authority over the whole network). It floods over the layer's current overlay, so it rides in
 * that overlay's part; every peer checks the Authority, a CA signature, before acting on it.
 * **[not in the paper]** (docs/PROTOCOL.md section 10).
 */
export interface SwitchLayer {
  readonly kind: 'SwitchLayer';
  /** The layer that switches, e.g. "identity". */
  readonly layer: string;
  /** The algorithm it switches to, e.g. "onehop". */
  readonly algorithm: string;
  /** Grows by one with every switch of this layer; a peer acts on each epoch once. */
  readonly epoch: number;
  /** The peer that creates the new overlay; the others may join through it. */
  readonly seed: RingNode;
  /** ISO 8601 UTC; an announcement far from now is refused as stale. */
  readonly issuedAt: string;
  /**
   * Milliseconds after a peer accepts the announcement at which it stops the old overlay. The
   * same for every peer, so that the whole network retires the old overlay together (one peer
   * stopping it alone would leave holes in it for the others). Lookups fall back to the old
   * overlay until then.
   */
  readonly retireAfterMs: number;
  /**
   * RSA PKCS#1 v1.5 / SHA-256 by the CA key over switchLayerSignedText(message), base64; '' when
   * absent (an unsigned announcement parses, so that the peer can say why it refuses it).
   */
  readonly authority: string;
}

/** First line of the signed text; a change of the text's shape gets a new one. */
export const SWITCH_LAYER_SIGNATURE_TAG = 'chordline-switch-layer-2';

/**
 * The exact text the CA signs (UTF-8), one "name: value" line per field, each ending in "\n":
 *
 *   chordline-switch-layer-2
 *   layer: identity
 *   algorithm: onehop
 *   epoch: 1
 *   seed: <NodeID> <NodeURL>
 *   issued-at: 2026-11-25T03:00:00Z
 *   retire-after: 20000
 *
 * Every value is a token without spaces, so the text is unambiguous.
 */
export function switchLayerSignedText(message: Omit<SwitchLayer, 'kind' | 'authority'>): string {
  const seed = message.seed;
  const lines = [
    SWITCH_LAYER_SIGNATURE_TAG,
    `layer: ${checkToken(message.layer, 'SwitchLayer/Layer')}`,
    `algorithm: ${checkToken(message.algorithm, 'SwitchLayer/Algorithm')}`,
    `epoch: ${checkUint32(message.epoch, 'SwitchLayer/Epoch', 1)}`,
    `seed: ${checkNodeId(seed.id, 'SwitchLayer/Seed/NodeID')} ${checkSipUrl(seed.url, 'SwitchLayer/Seed/NodeURL')}`,
    `issued-at: ${checkTimestamp(message.issuedAt, 'SwitchLayer/IssuedAt')}`,
    `retire-after: ${checkUint32(message.retireAfterMs, 'SwitchLayer/RetireAfter', 1)}`,
  ];
  return `${lines.join('\n')}\n`;
}

export const switchLayerCodec: MessageCodec<SwitchLayer> = {
  element: 'SwitchLayer',

  build(parent, message) {
    const element = parent.ele('SwitchLayer');
    addLeaf(element, 'Layer', checkToken(message.layer, 'SwitchLayer/Layer'));
    addLeaf(element, 'Algorithm', checkToken(message.algorithm, 'SwitchLayer/Algorithm'));
    addLeaf(element, 'Epoch', String(checkUint32(message.epoch, 'SwitchLayer/Epoch', 1)));
    addRingNode(element, 'Seed', message.seed, 'SwitchLayer/Seed');
    addLeaf(element, 'IssuedAt', checkTimestamp(message.issuedAt, 'SwitchLayer/IssuedAt'));
    addLeaf(element, 'RetireAfter', String(checkUint32(message.retireAfterMs, 'SwitchLayer/RetireAfter', 1)));
    if (message.authority !== '') {
      addLeaf(element, 'Authority', checkBase64(message.authority, 'SwitchLayer/Authority'));
    }
  },

  parse(element, path) {
    const children = readChildren(element, path, [
      { name: 'Layer' },
      { name: 'Algorithm' },
      { name: 'Epoch' },
      { name: 'Seed' },
      { name: 'IssuedAt' },
      { name: 'RetireAfter' },
      { name: 'Authority', min: 0 },
    ]);
    const authority = children.get('Authority')![0];
    return {
      kind: 'SwitchLayer',
      layer: checkToken(requiredText(children, 'Layer', path), `${path}/Layer`),
      algorithm: checkToken(requiredText(children, 'Algorithm', path), `${path}/Algorithm`),
      epoch: parseUint32(requiredText(children, 'Epoch', path), `${path}/Epoch`, 1),
      seed: parseRingNode(children.get('Seed')![0], `${path}/Seed`),
      issuedAt: checkTimestamp(requiredText(children, 'IssuedAt', path), `${path}/IssuedAt`),
      retireAfterMs: parseUint32(requiredText(children, 'RetireAfter', path), `${path}/RetireAfter`, 1),
      authority:
        authority === undefined
          ? ''
          : checkBase64(requiredText(children, 'Authority', path), `${path}/Authority`),
    };
  },
};
