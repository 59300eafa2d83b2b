import type { KnownMessage, KnownMessageKind } from './p2p-document.ts';
import type { MessageCodec } from './message-codec.ts';
import { ackCodec } from './messages/ack.ts';
import { bindingsCodec } from './messages/bindings.ts';
import { deliveredCodec } from './messages/delivered.ts';
import { bootstrapForwardCodec } from './messages/bootstrap-forward.ts';
import { bootstrapOkCodec } from './messages/bootstrap-ok.ts';
import { bootstrapRegRequestCodec } from './messages/bootstrap-reg-request.ts';
import { certificateIssuedCodec } from './messages/certificate-issued.ts';
import { certificateRequestCodec } from './messages/certificate-request.ts';
import { failureCodec } from './messages/failure.ts';
import { findSuccessorCodec } from './messages/find-successor.ts';
import { findSuccessorForwardCodec } from './messages/find-successor-forward.ts';
import { findSuccessorOkCodec } from './messages/find-successor-ok.ts';
import { fingersUpdatedCodec } from './messages/fingers-updated.ts';
import { getBindingsCodec } from './messages/get-bindings.ts';
import { getMembersCodec } from './messages/get-members.ts';
import { getNeighboursCodec } from './messages/get-neighbours.ts';
import { gossipCodec } from './messages/gossip.ts';
import { leaveCodec } from './messages/leave.ts';
import { memberListCodec } from './messages/member-list.ts';
import { neighboursCodec } from './messages/neighbours.ts';
import { notifyCodec } from './messages/notify.ts';
import { pingCodec } from './messages/ping.ts';
import { pongCodec } from './messages/pong.ts';
import { presenceNotifyCodec } from './messages/presence-notify.ts';
import { publishPresenceCodec } from './messages/publish-presence.ts';
import { putBindingCodec } from './messages/put-binding.ts';
import { redirectCodec } from './messages/redirect.ts';
import { revocationListCodec } from './messages/revocation-list.ts';
import { revocationListRequestCodec } from './messages/revocation-list-request.ts';
import { storeBindingsCodec } from './messages/store-bindings.ts';
import { subscribePresenceCodec } from './messages/subscribe-presence.ts';
import { switchLayerCodec } from './messages/switch-layer.ts';
import { updateFingersCodec } from './messages/update-fingers.ts';

type CodecTable = { readonly [K in KnownMessageKind]: MessageCodec<Extract<KnownMessage, { kind: K }>> };

/** Every message type, by element name. Adding a message means one file and one line here. */
export const MESSAGE_CODECS: CodecTable = {
  CertificateRequest: certificateRequestCodec,
  CertificateIssued: certificateIssuedCodec,
  RevocationListRequest: revocationListRequestCodec,
  RevocationList: revocationListCodec,
  BootstrapRegRequest: bootstrapRegRequestCodec,
  BootstrapOK: bootstrapOkCodec,
  BootstrapForward: bootstrapForwardCodec,
  FindSuccessor: findSuccessorCodec,
  FindSuccessorOK: findSuccessorOkCodec,
  FindSuccessorForward: findSuccessorForwardCodec,
  Notify: notifyCodec,
  GetNeighbours: getNeighboursCodec,
  Neighbours: neighboursCodec,
  Ping: pingCodec,
  Pong: pongCodec,
  UpdateFingers: updateFingersCodec,
  FingersUpdated: fingersUpdatedCodec,
  Leave: leaveCodec,
  StoreBindings: storeBindingsCodec,
  PutBinding: putBindingCodec,
  GetBindings: getBindingsCodec,
  Bindings: bindingsCodec,
  Redirect: redirectCodec,
  Ack: ackCodec,
  Failure: failureCodec,
  Delivered: deliveredCodec,
  MemberList: memberListCodec,
  Gossip: gossipCodec,
  GetMembers: getMembersCodec,
  PublishPresence: publishPresenceCodec,
  SubscribePresence: subscribePresenceCodec,
  PresenceNotify: presenceNotifyCodec,
  SwitchLayer: switchLayerCodec,
};

/** The overlays this codec knows, as they appear in `<Overlay layer=… algorithm=…>`. */
export const TRUST_LOGIN_SERVER = { layer: 'trust', algorithm: 'login-server' } as const;
export const IDENTITY_CHORD = { layer: 'identity', algorithm: 'chord' } as const;
export const IDENTITY_ONEHOP = { layer: 'identity', algorithm: 'onehop' } as const;
export const PRESENCE_CHORD = { layer: 'presence', algorithm: 'chord' } as const;
export const DEVICE_ONEHOP = { layer: 'device', algorithm: 'onehop' } as const;

/** Storing and fetching bindings, and leaving with them, as both algorithms do. */
const BINDINGS: readonly KnownMessageKind[] = [
  'Leave',
  'StoreBindings',
  'PutBinding',
  'GetBindings',
  'Bindings',
  'Redirect',
  'Ack',
  'Failure',
];

/** What keeps a one-hop overlay and its bindings, in whichever layer it serves. */
const ONEHOP_MEMBERSHIP: readonly KnownMessageKind[] = [
  'BootstrapRegRequest',
  'BootstrapForward',
  'MemberList',
  'Gossip',
  'GetMembers',
  ...BINDINGS,
];

/** What keeps a chord ring and its bindings, in whichever layer the ring serves. */
const CHORD_RING: readonly KnownMessageKind[] = [
  'BootstrapRegRequest',
  'BootstrapOK',
  'BootstrapForward',
  'FindSuccessor',
  'FindSuccessorOK',
  'FindSuccessorForward',
  'Notify',
  'GetNeighbours',
  'Neighbours',
  'Ping',
  'Pong',
  'UpdateFingers',
  'FingersUpdated',
  ...BINDINGS,
];

/**
 * Which messages each known overlay speaks. An element is parsed only inside an overlay whose
 * vocabulary has it; anywhere else it is an UnknownMessage, like any other foreign element.
 */
const VOCABULARY: ReadonlyMap<string, ReadonlySet<KnownMessageKind>> = new Map([
  [
    key(TRUST_LOGIN_SERVER.layer, TRUST_LOGIN_SERVER.algorithm),
    new Set<KnownMessageKind>([
      'CertificateRequest',
      'CertificateIssued',
      'RevocationListRequest',
      'RevocationList',
      'Failure',
    ]),
  ],
  [
    key(IDENTITY_CHORD.layer, IDENTITY_CHORD.algorithm),
    new Set<KnownMessageKind>([
      ...CHORD_RING,
      'Delivered',
      // Floods over the layer's current overlay (docs/PROTOCOL.md section 10).
      'SwitchLayer',
    ]),
  ],
  [
    // The presence feature layer runs its own chord ring (docs/PROTOCOL.md section 11): chord's
    // messages keep that ring, and presence's own three ride beside them.
    key(PRESENCE_CHORD.layer, PRESENCE_CHORD.algorithm),
    new Set<KnownMessageKind>([...CHORD_RING, 'PublishPresence', 'SubscribePresence', 'PresenceNotify']),
  ],
  [
    // Its own three messages, and chord's where they mean the same (docs/PROTOCOL.md section 9).
    key(IDENTITY_ONEHOP.layer, IDENTITY_ONEHOP.algorithm),
    new Set<KnownMessageKind>([
      ...ONEHOP_MEMBERSHIP,
      'Delivered',
      // Floods over the layer's current overlay (docs/PROTOCOL.md section 10).
      'SwitchLayer',
    ]),
  ],
  [
    // The device layer (docs/PROTOCOL.md section 12): a one-hop overlay whose bindings are the
    // devices' profiles.
    key(DEVICE_ONEHOP.layer, DEVICE_ONEHOP.algorithm),
    new Set<KnownMessageKind>(ONEHOP_MEMBERSHIP),
  ],
]);

function key(layer: string, algorithm: string): string {
  return `${layer}\u0000${algorithm}`;
}

/** The message types an overlay speaks; undefined for an overlay this codec does not know. */
export function overlayVocabulary(
  layer: string,
  algorithm: string,
): ReadonlySet<KnownMessageKind> | undefined {
  return VOCABULARY.get(key(layer, algorithm));
}

export function isKnownOverlay(layer: string, algorithm: string): boolean {
  return VOCABULARY.has(key(layer, algorithm));
}

/** The codec for a message kind; typed loosely because the caller holds a KnownMessage union. */
export function codecFor(kind: KnownMessageKind): MessageCodec<KnownMessage> {
  return MESSAGE_CODECS[kind] as unknown as MessageCodec<KnownMessage>;
}
