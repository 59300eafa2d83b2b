import { parseP2pXml } from '../../src-main/overlay/xml/index.ts';
import { partsOfText } from '../../src-main/sip/index.ts';
import {
  CertificateValidator,
  MessageVerifier,
  ReplayGuard,
  RevocationSet,
  systemClock,
} from '../../src-main/trust/signing/index.ts';

/**
 * Checks the node's answers the way a peer would: signed by a certificate from our CA, for the
 * node's address, fresh, and not seen before. Used on a sample, after the measured window.
 */
export function responseVerifier(caCertPem: string, nodeAor: string): (text: string) => boolean {
  const revocations = new RevocationSet({ caCertPem, clock: systemClock });
  const validator = new CertificateValidator({ caCertPem, revocations, clock: systemClock });
  const verifier = new MessageVerifier({ validator, replayGuard: new ReplayGuard({ clock: systemClock }) });
  return (text) => {
    try {
      const parts = partsOfText(text);
      const doc = parseP2pXml(parts.body);
      if (!doc.signature) return false;
      return verifier.verify({
        parts,
        signatureB64: doc.signature,
        credential: doc.credential,
        claimed: { aor: nodeAor },
      }).ok;
    } catch {
      return false;
    }
  };
}
