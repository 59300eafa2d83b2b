import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  P2pXmlError,
  buildP2pXml,
  emptySignature,
  fillSignature,
  parseP2pXml,
} from '../../../../src-main/overlay/xml/index.ts';
import type { P2pDocument } from '../../../../src-main/overlay/xml/index.ts';
import {
  FINGERPRINT,
  SIGNATURE_B64,
  bootstrapRegRequest,
  certificateIssued,
  chord,
  revocationList,
  trust,
} from './samples.ts';

const OPEN = '<P2Pxml xmlns="urn:chordline:p2p:1" version="1">';

function refusal(run: () => string): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(P2pXmlError);
    return (error as P2pXmlError).reason;
  }
  throw new Error('accepted');
}

describe('Alice signs a body and Bob checks it (docs/ARCHITECTURE.md, "Signed messages")', () => {
  const alice = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const doc: P2pDocument = {
    ...chord(bootstrapRegRequest),
    credential: { kind: 'certificate-ref', fingerprint: FINGERPRINT },
  };

  it('builds with <Signature/>, signs the hash, fills in; Bob empties and verifies the same bytes', () => {
    const unsigned = buildP2pXml({ ...doc, signature: '' });
    const digest = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');
    const signature = sign(
      'sha256',
      Buffer.from(`body-sha256: ${digest(unsigned)}\n`),
      alice.privateKey,
    ).toString('base64');
    const wire = fillSignature(unsigned, signature);

    expect(parseP2pXml(wire).signature).toBe(signature);
    const received = emptySignature(wire);
    expect(received).toBe(unsigned);
    const text = Buffer.from(`body-sha256: ${digest(received)}\n`);
    expect(verify('sha256', text, alice.publicKey, Buffer.from(signature, 'base64'))).toBe(true);
  });

  it('emptying a body built with the signature gives the body built with the placeholder', () => {
    expect(emptySignature(buildP2pXml({ ...doc, signature: SIGNATURE_B64 }))).toBe(
      buildP2pXml({ ...doc, signature: '' }),
    );
  });

  it('works on pretty-printed bodies, keeping the whitespace around the Signature', () => {
    const pretty = `${OPEN}\n  <CertificateRef>${FINGERPRINT}</CertificateRef>\n  <Signature>\n    ${SIGNATURE_B64}\n  </Signature >\n</P2Pxml>\n`;
    const emptied = emptySignature(pretty);
    expect(emptied).toBe(
      `${OPEN}\n  <CertificateRef>${FINGERPRINT}</CertificateRef>\n  <Signature/>\n</P2Pxml>\n`,
    );
    expect(fillSignature(emptied, 'QUJD')).toBe(
      emptied.replace('<Signature/>', '<Signature>QUJD</Signature>'),
    );
  });
});

describe('the RevocationList signature is never taken for the envelope one', () => {
  const issued: P2pDocument = trust(certificateIssued);

  it('empties only the envelope Signature when both are present', () => {
    const wire = buildP2pXml({ ...issued, signature: SIGNATURE_B64 });
    expect(wire.match(/<Signature>/g)).toHaveLength(2);
    const emptied = emptySignature(wire);
    expect(emptied).toBe(buildP2pXml({ ...issued, signature: '' }));
    expect(emptied).toContain(`<Signature>${revocationList.signature}</Signature></RevocationList>`);
  });

  it('fills the envelope placeholder, not the list', () => {
    const filled = fillSignature(buildP2pXml({ ...issued, signature: '' }), 'QUJD');
    expect(parseP2pXml(filled).signature).toBe('QUJD');
    expect(parseP2pXml(filled)).toEqual({ ...issued, signature: 'QUJD' });
  });

  it('refuses a body whose only Signature is the list one', () => {
    const unsigned = buildP2pXml(issued);
    expect(refusal(() => emptySignature(unsigned))).toMatch(/exactly one envelope <Signature>, found 0/);
    expect(refusal(() => fillSignature(unsigned, 'QUJD'))).toMatch(/found 0/);
  });
});

describe('bodies that cannot be signed or checked', () => {
  it.each([
    ['no Signature', `${OPEN}</P2Pxml>`, /found 0/],
    ['two Signatures', `${OPEN}<Signature/><Signature>QUJD</Signature></P2Pxml>`, /found 2/],
    ['a Signature that is not last', `${OPEN}<Signature/><Foo/></P2Pxml>`, /last child of P2Pxml/],
    [
      'a Signature hidden in an unknown element',
      `${OPEN}<Overlay layer="x" algorithm="y"><Signature>QUJD</Signature></Overlay></P2Pxml>`,
      /found 0/,
    ],
    [
      'a Signature in a comment after the body',
      `${OPEN}<Signature/></P2Pxml><!-- <Signature>QUJD</Signature></P2Pxml> -->`,
      /last child of P2Pxml/,
    ],
    [
      'a Signature with markup inside',
      `${OPEN}<Signature>QU<b/>JD</Signature></P2Pxml>`,
      /last child of P2Pxml/,
    ],
    ['a DOCTYPE', `<!DOCTYPE P2Pxml>${OPEN}<Signature/></P2Pxml>`, /DOCTYPE/],
    ['another root', '<Other><Signature/></Other>', /root element/],
    ['malformed XML', `${OPEN}<Signature></P2Pxml>`, /malformed/],
  ])('%s', (_name, body, reason) => {
    expect(refusal(() => emptySignature(body))).toMatch(reason);
  });

  it('will not fill a Signature twice, nor with bad base64', () => {
    const filled = `${OPEN}<Signature>QUJD</Signature></P2Pxml>`;
    expect(refusal(() => fillSignature(filled, 'QUJD'))).toMatch(/already filled/);
    expect(refusal(() => fillSignature(`${OPEN}<Signature/></P2Pxml>`, 'not base64'))).toMatch(
      /canonical base64/,
    );
  });
});
