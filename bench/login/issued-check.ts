import { createHash, verify as rsaVerify, X509Certificate } from 'node:crypto';
import { findMessages, parseP2pXml, TRUST_LOGIN_SERVER } from '../../src-main/overlay/xml/index.ts';
import { partsOfText } from '../../src-main/sip/index.ts';
import { signedText } from '../../src-main/trust/signing/index.ts';

/**
 * What the client checks before keeping a certificate (login-client.ts, accept): the 200 is
 * signed by the CA and the certificate in it is for the client's key (its NodeID). Used on a
 * sample of answers, after the measured window.
 */
export function issuedCheck(caCertPem: string): (text: string, nodeId: string) => boolean {
  const caKey = new X509Certificate(caCertPem).publicKey;
  return (text, nodeId) => {
    try {
      const parts = partsOfText(text);
      const doc = parseP2pXml(parts.body);
      const issued = findMessages(doc, 'CertificateIssued', TRUST_LOGIN_SERVER)[0];
      if (!issued || !doc.signature) return false;
      const signed = rsaVerify(
        'sha256',
        Buffer.from(signedText(parts), 'utf8'),
        caKey,
        Buffer.from(doc.signature, 'base64'),
      );
      const certificate = new X509Certificate(Buffer.from(issued.certificate, 'base64'));
      const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
      return signed && createHash('sha1').update(spki).digest('hex') === nodeId;
    } catch {
      return false;
    }
  };
}
