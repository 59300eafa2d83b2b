// Test helper (not a test): one document per message type, with values chosen to trip a careless
// codec: NodeIDs and serials with leading zeros, "007" in text, characters that need escaping.
import type {
  BootstrapForward,
  BootstrapOK,
  BootstrapRegRequest,
  CertificateIssued,
  CertificateRequest,
  Failure,
  OverlayMessage,
  P2pDocument,
  RevocationList,
  RevocationListRequest,
} from '../../../../src-main/overlay/xml/index.ts';
import { IDENTITY_CHORD, TRUST_LOGIN_SERVER } from '../../../../src-main/overlay/xml/index.ts';

export const ALICE_ID = '0070000000000000000000000000000000000a1c';
export const BOB_ID = '00b0b00000000000000000000000000000000007';
export const CAROL_ID = 'ca401000000000000000000000000000000000ff';
export const FINGERPRINT = '007f'.padEnd(64, 'e');
/** Base64 of short byte strings; real DER is not needed to test the codec. */
export const PUBKEY_B64 = Buffer.from('public key 007').toString('base64');
export const CERT_B64 = Buffer.from('certificate of alice').toString('base64');
export const CA_CERT_B64 = Buffer.from('certificate of the CA').toString('base64');
export const SIGNATURE_B64 = Buffer.alloc(256, 7).toString('base64');

export const certificateRequest: CertificateRequest = {
  kind: 'CertificateRequest',
  nodeId: ALICE_ID,
  pubKey: PUBKEY_B64,
};

export const revocationList: RevocationList = {
  kind: 'RevocationList',
  issuer: 'CN=Chordline CA atlanta.com & <friends>',
  version: 7,
  issued: '2025-11-24T20:00:00Z',
  nextUpdate: '2025-11-25T20:00:00.500Z',
  revoked: [
    { serial: '007a', fingerprint: FINGERPRINT, revokedAt: '2025-11-24T19:59:59Z', reason: 'keyCompromise' },
    { serial: '00', fingerprint: 'f'.repeat(64), revokedAt: '2025-11-01T00:00:00Z', reason: 'superseded' },
  ],
  signature: SIGNATURE_B64,
};

export const certificateIssued: CertificateIssued = {
  kind: 'CertificateIssued',
  certificate: CERT_B64,
  caCertificate: CA_CERT_B64,
  bootstrap: [{ nodeId: BOB_ID, nodeUrl: 'sip:007@192.0.2.7:5070' }, { nodeUrl: 'sips:carol@atlanta.com' }],
  refreshRate: 3600,
  revocationList,
  layers: [{ layer: 'identity', algorithm: 'onehop', epoch: 2 }],
};

export const revocationListRequest: RevocationListRequest = { kind: 'RevocationListRequest', since: 0 };

export const bootstrapRegRequest: BootstrapRegRequest = {
  kind: 'BootstrapRegRequest',
  nodeId: ALICE_ID,
  nodeUrl: 'sip:alice@192.0.2.1:5060;transport=udp',
};

export const bootstrapOk: BootstrapOK = {
  kind: 'BootstrapOK',
  nodeId: BOB_ID,
  successor: { nodeId: BOB_ID, nodeUrl: 'sip:bob@192.0.2.2:5060' },
  predecessor: { nodeId: CAROL_ID, nodeUrl: 'sip:carol@192.0.2.3:5060' },
  refreshRate: 100,
  fingerTable: [
    { start: ALICE_ID.replace(/a1c$/, 'a1d'), nodeId: BOB_ID, nodeUrl: 'sip:bob@192.0.2.2:5060' },
    {
      start: '0070000000000000000000000000000000000a1e',
      nodeId: CAROL_ID,
      nodeUrl: 'sip:carol@192.0.2.3:5060',
    },
  ],
};

export const bootstrapForward: BootstrapForward = {
  kind: 'BootstrapForward',
  nodeId: CAROL_ID,
  nodeUrl: 'sip:carol@192.0.2.3:5060',
};

export const failure: Failure = {
  kind: 'Failure',
  code: 409,
  reason: '007 & co: NodeID already in the ring <sic>',
};

/** One document per message type, each as it would travel (credential and signature included). */
export const SAMPLE_DOCUMENTS: ReadonlyArray<readonly [string, P2pDocument]> = [
  ['CertificateRequest', trust(certificateRequest)],
  ['CertificateIssued', trust(certificateIssued)],
  ['RevocationListRequest', signed(trust(revocationListRequest))],
  ['RevocationList', trust(revocationList)],
  ['BootstrapRegRequest', withCertificate(chord(bootstrapRegRequest))],
  ['BootstrapOK', signed(chord(bootstrapOk))],
  ['BootstrapOK without predecessor or fingers', signed(chord({ ...withoutPredecessor(), fingerTable: [] }))],
  ['BootstrapForward', signed(chord(bootstrapForward))],
  ['Failure (chord)', signed(chord(failure))],
  ['Failure (trust)', trust({ ...failure, code: 503, reason: 'Login server busy' })],
];

function withoutPredecessor(): BootstrapOK {
  const { predecessor: _predecessor, ...rest } = bootstrapOk;
  return rest;
}

export function trust(...messages: OverlayMessage[]): P2pDocument {
  return { overlays: [{ ...TRUST_LOGIN_SERVER, messages }] };
}

export function chord(...messages: OverlayMessage[]): P2pDocument {
  return { overlays: [{ ...IDENTITY_CHORD, messages }] };
}

export function signed(doc: P2pDocument): P2pDocument {
  return {
    ...doc,
    credential: { kind: 'certificate-ref', fingerprint: FINGERPRINT },
    signature: SIGNATURE_B64,
  };
}

export function withCertificate(doc: P2pDocument): P2pDocument {
  return { ...doc, credential: { kind: 'certificate', certificate: CERT_B64 }, signature: SIGNATURE_B64 };
}
