import type { MessageCodec } from '../message-codec.ts';
import {
  addLeaf,
  checkBase64,
  checkNodeId,
  checkSipUrl,
  checkToken,
  checkUint32,
  optionalText,
  parseUint32,
  readChildren,
  requiredText,
} from '../fields.ts';
import { revocationListCodec } from './revocation-list.ts';
import type { RevocationList } from './revocation-list.ts';

/** A node the newcomer may send its BootstrapRegRequest to. */
export interface BootstrapNode {
  /** Absent when the login server knows where a node is but not (yet) its NodeID. */
  readonly nodeId?: string;
  readonly nodeUrl: string;
}

/**
 * The algorithm a layer runs in this network now, and the epoch of the switch that chose it (0:
 * never switched), so that a peer logging in after a switch joins the overlay that runs.
 * **[not in the paper]** (docs/PROTOCOL.md section 10.4).
 */
export interface LayerState {
  readonly layer: string;
  readonly algorithm: string;
  readonly epoch: number;
}

/**
 * Trust layer, login-server: the body of the 200 OK that ends a login.
 *
 * Paper, section 5.1: "The LS replies back, typically after a REGISTER challenge, with an OK message
 * that generates a certificate for the node and returns the network parameters of the P2P
 * bootstrap node. LS also returns its public key that is used by the PVC to verify signatures
 * presented to it by its peers." The public key travels as the CA certificate.
 */
export interface CertificateIssued {
  readonly kind: 'CertificateIssued';
  /** The node's new X.509 certificate, DER, base64. */
  readonly certificate: string;
  /** The login server's CA certificate, DER, base64: the anchor for every peer signature. */
  readonly caCertificate: string;
  /** Nodes to join through, best first. Empty when no node is online: the newcomer starts the ring. */
  readonly bootstrap: readonly BootstrapNode[];
  /** Seconds after which the node renews its trust state with the login server (a new RevocationListRequest). */
  readonly refreshRate: number;
  /** The current list, so that a new node starts with it. */
  readonly revocationList?: RevocationList;
  /** Each layer that has switched algorithm at least once; a layer not named runs its default. */
  readonly layers?: readonly LayerState[];
}

export const certificateIssuedCodec: MessageCodec<CertificateIssued> = {
  element: 'CertificateIssued',

  build(parent, message) {
    const path = 'CertificateIssued';
    const element = parent.ele('CertificateIssued');
    addLeaf(element, 'Certificate', checkBase64(message.certificate, `${path}/Certificate`));
    addLeaf(element, 'CACertificate', checkBase64(message.caCertificate, `${path}/CACertificate`));
    for (const node of message.bootstrap) {
      const bootstrap = element.ele('Bootstrap');
      if (node.nodeId !== undefined)
        addLeaf(bootstrap, 'NodeID', checkNodeId(node.nodeId, `${path}/Bootstrap/NodeID`));
      addLeaf(bootstrap, 'NodeURL', checkSipUrl(node.nodeUrl, `${path}/Bootstrap/NodeURL`));
    }
    addLeaf(element, 'RefreshRate', String(checkUint32(message.refreshRate, `${path}/RefreshRate`)));
    if (message.revocationList !== undefined) revocationListCodec.build(element, message.revocationList);
    for (const state of message.layers ?? []) {
      const entry = element.ele('LayerState');
      addLeaf(entry, 'Layer', checkToken(state.layer, `${path}/LayerState/Layer`));
      addLeaf(entry, 'Algorithm', checkToken(state.algorithm, `${path}/LayerState/Algorithm`));
      addLeaf(entry, 'Epoch', String(checkUint32(state.epoch, `${path}/LayerState/Epoch`)));
    }
  },

  parse(element, path) {
    const children = readChildren(element, path, [
      { name: 'Certificate' },
      { name: 'CACertificate' },
      { name: 'Bootstrap', min: 0, max: Infinity },
      { name: 'RefreshRate' },
      { name: 'RevocationList', min: 0 },
      { name: 'LayerState', min: 0, max: Infinity },
    ]);
    const bootstrap = children.get('Bootstrap')!.map((entry, i): BootstrapNode => {
      const at = `${path}/Bootstrap[${i + 1}]`;
      const fields = readChildren(entry, at, [{ name: 'NodeID', min: 0 }, { name: 'NodeURL' }]);
      const nodeId = optionalText(fields, 'NodeID', at);
      const nodeUrl = checkSipUrl(requiredText(fields, 'NodeURL', at), `${at}/NodeURL`);
      return nodeId === undefined ? { nodeUrl } : { nodeId: checkNodeId(nodeId, `${at}/NodeID`), nodeUrl };
    });
    const layers = children.get('LayerState')!.map((entry, i): LayerState => {
      const at = `${path}/LayerState[${i + 1}]`;
      const fields = readChildren(entry, at, [{ name: 'Layer' }, { name: 'Algorithm' }, { name: 'Epoch' }]);
      return {
        layer: checkToken(requiredText(fields, 'Layer', at), `${at}/Layer`),
        algorithm: checkToken(requiredText(fields, 'Algorithm', at), `${at}/Algorithm`),
        epoch: parseUint32(requiredText(fields, 'Epoch', at), `${at}/Epoch`),
      };
    });
    const list = children.get('RevocationList')![0];
    const issued: CertificateIssued = {
      kind: 'CertificateIssued',
      certificate: checkBase64(requiredText(children, 'Certificate', path), `${path}/Certificate`),
      caCertificate: checkBase64(requiredText(children, 'CACertificate', path), `${path}/CACertificate`),
      bootstrap,
      refreshRate: parseUint32(requiredText(children, 'RefreshRate', path), `${path}/RefreshRate`),
      ...(layers.length > 0 ? { layers } : {}),
    };
    return list === undefined
      ? issued
      : { ...issued, revocationList: revocationListCodec.parse(list, `${path}/RevocationList`) };
  },
};
