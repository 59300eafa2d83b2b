// The application/p2p+xml codec: overlay messages as XML bodies of SIP REGISTER requests and their
// responses (paper, sections 2.3 and 5). Protocol: docs/PROTOCOL.md; schema: docs/p2p.xsd.
// This folder knows nothing of SIP: it turns bodies into typed documents and back.

export { P2P_XML_CONTENT_TYPE, P2P_XML_NAMESPACE, P2P_XML_VERSION } from './constants.ts';
export { buildP2pXml } from './build-p2p-xml.ts';
export { parseP2pXml } from './parse-p2p-xml.ts';
export type { ParseOptions } from './parse-p2p-xml.ts';
export { emptySignature, fillSignature, EMPTY_SIGNATURE_ELEMENT } from './envelope-signature.ts';
export { findMessages } from './find-messages.ts';
export { P2pXmlError } from './p2p-xml-error.ts';
export { DEFAULT_MAX_BODY_BYTES } from './xml-tree.ts';
export { IDENTITY_CHORD, IDENTITY_ONEHOP, TRUST_LOGIN_SERVER, isKnownOverlay } from './message-table.ts';
export { DEVICE_ONEHOP, PRESENCE_CHORD } from './message-table.ts';
export type {
  Credential,
  KnownMessage,
  KnownMessageKind,
  OverlayMessage,
  OverlayPart,
  P2pDocument,
  UnknownMessage,
} from './p2p-document.ts';

export type { CertificateRequest } from './messages/certificate-request.ts';
export type { BootstrapNode, CertificateIssued, LayerState } from './messages/certificate-issued.ts';
export type { RevocationListRequest } from './messages/revocation-list-request.ts';
export {
  REVOCATION_LIST_SIGNATURE_TAG,
  REVOCATION_REASONS,
  revocationListSignedText,
} from './messages/revocation-list.ts';
export type { RevocationList, RevocationReason, RevokedCertificate } from './messages/revocation-list.ts';
export type { BootstrapRegRequest } from './messages/bootstrap-reg-request.ts';
export { MAX_FINGERS } from './messages/bootstrap-ok.ts';
export type { BootstrapOK, Finger, NodeRef } from './messages/bootstrap-ok.ts';
export type { BootstrapForward } from './messages/bootstrap-forward.ts';
export type { RingNode } from './messages/ring-node.ts';
export type { StoredBinding } from './messages/stored-binding.ts';
export type { IdentityChordMessage } from './messages/identity-chord.ts';
export type { FindSuccessor } from './messages/find-successor.ts';
export type { FindSuccessorOK } from './messages/find-successor-ok.ts';
export type { FindSuccessorForward } from './messages/find-successor-forward.ts';
export type { Notify } from './messages/notify.ts';
export type { GetNeighbours } from './messages/get-neighbours.ts';
export type { Neighbours } from './messages/neighbours.ts';
export type { Ping } from './messages/ping.ts';
export type { Pong } from './messages/pong.ts';
export type { UpdateFingers } from './messages/update-fingers.ts';
export type { FingersUpdated } from './messages/fingers-updated.ts';
export type { Leave } from './messages/leave.ts';
export type { StoreBindings } from './messages/store-bindings.ts';
export type { PutBinding } from './messages/put-binding.ts';
export type { GetBindings } from './messages/get-bindings.ts';
export type { Bindings } from './messages/bindings.ts';
export type { Redirect } from './messages/redirect.ts';
export type { Ack } from './messages/ack.ts';
export type { Delivered } from './messages/delivered.ts';
export { SWITCH_LAYER_SIGNATURE_TAG, switchLayerSignedText } from './messages/switch-layer.ts';
export type { SwitchLayer } from './messages/switch-layer.ts';
export type { IdentityOneHopMessage } from './messages/identity-onehop.ts';
export type { MemberNews, MemberRecord } from './messages/member-news.ts';
export type { MemberList } from './messages/member-list.ts';
export type { Gossip } from './messages/gossip.ts';
export type { GetMembers } from './messages/get-members.ts';
export type { PresenceMessage } from './messages/presence-messages.ts';
export type { PublishPresence } from './messages/publish-presence.ts';
export type { SubscribePresence } from './messages/subscribe-presence.ts';
export type { PresenceNotify } from './messages/presence-notify.ts';
export type { PresenceStatus } from './messages/presence-status.ts';
export { FAILURE_CODE_MAX, FAILURE_CODE_MIN } from './messages/failure.ts';
export type { Failure } from './messages/failure.ts';
