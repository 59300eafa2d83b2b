import type { KnownMessage, KnownMessageKind } from './p2p-document.ts';
import type { MessageCodec } from './message-codec.ts';
import { bootstrapForwardCodec } from './messages/bootstrap-forward.ts';
import { bootstrapOkCodec } from './messages/bootstrap-ok.ts';
import { bootstrapRegRequestCodec } from './messages/bootstrap-reg-request.ts';
import { certificateIssuedCodec } from './messages/certificate-issued.ts';
import { certificateRequestCodec } from './messages/certificate-request.ts';
import { failureCodec } from './messages/failure.ts';
import { revocationListCodec } from './messages/revocation-list.ts';
import { revocationListRequestCodec } from './messages/revocation-list-request.ts';

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
  Failure: failureCodec,
};

/** The overlays this codec knows, as they appear in `<Overlay layer=… algorithm=…>`. */
export const TRUST_LOGIN_SERVER = { layer: 'trust', algorithm: 'login-server' } as const;
export const IDENTITY_CHORD = { layer: 'identity', algorithm: 'chord' } as const;

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
    new Set<KnownMessageKind>(['BootstrapRegRequest', 'BootstrapOK', 'BootstrapForward', 'Failure']),
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
