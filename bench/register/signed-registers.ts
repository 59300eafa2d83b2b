import type { SipStack } from '../../src-main/sip/index.ts';
import { signedRequest } from '../../src-main/trust/signed-sip.ts';
import type { BenchIdentity } from './bench-identities.ts';

/** One request ready for the wire, and the Call-ID its answer is matched by. */
export interface PreparedRequest {
  callId: string;
  datagram: Buffer;
}

export interface RegisterTarget {
  /** sip:HOST:PORT of the node under test. */
  uri: string;
}

/**
 * Builds and signs `count` distinct peer-to-peer REGISTERs, as PeerNode.hello sends them, before
 * the measured window: the replay guard refuses a signature it has seen, so each has its own
 * Call-ID, From tag and branch, and all carry the current Date. The sender's certificate is
 * referred to by fingerprint (the node was given the whole certificate during warm-up).
 *
 * The Via is written here, for the socket the benchmark sends from (`sentBy`); Via is not among
 * the signed parts (ARCHITECTURE.md, Signed messages).
 */
export function signedRegisters(options: {
  stack: SipStack;
  identities: BenchIdentity[];
  target: RegisterTarget;
  sentBy: string;
  count: number;
  /** Makes Call-IDs unique across batches. */
  batch: string;
  credential: 'certificate' | 'certificate-ref';
}): PreparedRequest[] {
  const { identities, target, sentBy } = options;
  const now = Date.now();
  const prepared: PreparedRequest[] = [];
  for (let i = 0; i < options.count; i++) {
    const identity = identities[i % identities.length];
    const callId = `bench-${options.batch}-${i}`;
    const signer = identity.trust.signer;
    const outgoing = signedRequest(
      options.stack,
      {
        method: 'REGISTER',
        uri: target.uri,
        from: identity.aor,
        fromTag: `t${options.batch}x${i}`,
        to: identity.aor,
        callId,
        cseq: 1,
        contact: `sip:${sentBy}`,
        headers: [['Expires', '60']],
      },
      {
        overlays: [],
        credential:
          options.credential === 'certificate'
            ? { kind: 'certificate', certificate: signer.certificateBase64 }
            : { kind: 'certificate-ref', fingerprint: signer.fingerprint },
      },
      identity.trust.sign,
      now,
    );
    outgoing.raw.prepend('Via', `SIP/2.0/UDP ${sentBy};branch=z9hG4bK-${callId};rport`);
    prepared.push({ callId, datagram: Buffer.from(outgoing.toString(), 'latin1') });
  }
  return prepared;
}
