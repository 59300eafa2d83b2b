import type { BootstrapForward } from './messages/bootstrap-forward.ts';
import type { BootstrapOK } from './messages/bootstrap-ok.ts';
import type { BootstrapRegRequest } from './messages/bootstrap-reg-request.ts';
import type { CertificateIssued } from './messages/certificate-issued.ts';
import type { CertificateRequest } from './messages/certificate-request.ts';
import type { Delivered } from './messages/delivered.ts';
import type { Failure } from './messages/failure.ts';
import type { IdentityChordMessage } from './messages/identity-chord.ts';
import type { IdentityOneHopMessage } from './messages/identity-onehop.ts';
import type { PresenceMessage } from './messages/presence-messages.ts';
import type { RevocationList } from './messages/revocation-list.ts';
import type { RevocationListRequest } from './messages/revocation-list-request.ts';
import type { SwitchLayer } from './messages/switch-layer.ts';

/** Every message this codec understands; `kind` is the element name. */
export type KnownMessage =
  | CertificateRequest
  | CertificateIssued
  | RevocationListRequest
  | RevocationList
  | BootstrapRegRequest
  | BootstrapOK
  | BootstrapForward
  | IdentityChordMessage
  | IdentityOneHopMessage
  | PresenceMessage
  | Delivered
  | SwitchLayer
  | Failure;

export type KnownMessageKind = KnownMessage['kind'];

/**
 * An element inside an Overlay that this codec does not understand (a newer message, another
 * namespace, or a known name in an overlay whose vocabulary does not have it). Kept so that a
 * higher layer can see it was there; its content is not kept, so it cannot be built again.
 */
export interface UnknownMessage {
  readonly kind: 'unknown';
  /** The element name as written, prefix included. */
  readonly name: string;
}

export type OverlayMessage = KnownMessage | UnknownMessage;

/**
 * One `<Overlay layer=… algorithm=…>` part. An unknown layer or algorithm is returned as it came,
 * every child as an UnknownMessage, so that the layer above decides what to do with it.
 */
export interface OverlayPart {
  /** "trust", "identity", … (paper, Figure 1). */
  readonly layer: string;
  /** The P2P mechanism of that layer: "login-server", "chord", … */
  readonly algorithm: string;
  readonly messages: readonly OverlayMessage[];
}

/** The sender's certificate on a first message to a peer, its fingerprint afterwards. */
export type Credential =
  | { readonly kind: 'certificate'; /** X.509 DER, base64. */ readonly certificate: string }
  | {
      readonly kind: 'certificate-ref';
      /** SHA-256 over the DER, 64 lowercase hex. */ readonly fingerprint: string;
    };

/** A whole application/p2p+xml body. */
export interface P2pDocument {
  /** In body order; several layers may share one body (paper, section 5). */
  readonly overlays: readonly OverlayPart[];
  readonly credential?: Credential;
  /**
   * The envelope signature (docs/ARCHITECTURE.md, "Signed messages"): absent for an unsigned body;
   * '' for the `<Signature/>` placeholder a signer builds, signs, then fills with fillSignature;
   * otherwise the base64 signature value.
   */
  readonly signature?: string;
}
