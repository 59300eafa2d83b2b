import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { TRUST_LOGIN_SERVER, buildP2pXml, emptySignature } from '../../../../src-main/overlay/xml/index.ts';
import {
  SignatureElementError,
  SignedPartsError,
  emptySignatureElement,
  signedText,
  type SignedParts,
} from '../../../../src-main/trust/signing/index.ts';

const emptied =
  '<P2Pxml xmlns="urn:chordline:p2p:1" version="1"><CertificateRef>ab</CertificateRef><Signature/></P2Pxml>';
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const register: SignedParts = {
  kind: 'request',
  method: 'REGISTER',
  requestUri: 'sip:example.com',
  fromUri: 'sip:alice@example.com',
  fromTag: 'a73kszlfl',
  toUri: 'sip:alice@example.com',
  callId: '1j9FpLxk3uxtm8tn@127.0.0.1',
  cseq: 1,
  cseqMethod: 'REGISTER',
  date: 'Sat, 13 Nov 2010 23:29:00 GMT',
  body: emptied.replace('<Signature/>', '<Signature>c2lnbmF0dXJl</Signature>'),
};

describe('the canonical signed text (ARCHITECTURE.md, Signed messages)', () => {
  it('is exactly the documented lines for a request, with an empty To tag', () => {
    expect(signedText(register)).toBe(
      [
        'chordline-signature-1',
        'REQUEST REGISTER sip:example.com',
        'from: sip:alice@example.com;tag=a73kszlfl',
        'to: sip:alice@example.com;tag=',
        'call-id: 1j9FpLxk3uxtm8tn@127.0.0.1',
        'cseq: 1 REGISTER',
        'date: Sat, 13 Nov 2010 23:29:00 GMT',
        `body-sha256: ${sha256(emptied)}`,
      ].join('\n'),
    );
  });

  it('starts a response with its status and the CSeq method, and signs the To tag', () => {
    const ok: SignedParts = { ...register, kind: 'response', status: 200, method: 'REGISTER', toTag: 'b7' };
    const lines = signedText(ok).split('\n');
    expect(lines[1]).toBe('RESPONSE 200 REGISTER');
    expect(lines[3]).toBe('to: sip:alice@example.com;tag=b7');
  });

  it('is the same for the sender holding <Signature/> and the receiver holding the filled element', () => {
    expect(signedText({ ...register, body: emptied })).toBe(signedText(register));
    expect(
      signedText({ ...register, body: emptied.replace('<Signature/>', '<Signature></Signature>') }),
    ).toBe(signedText(register));
  });

  it('changes with every field', () => {
    const base = signedText(register);
    const variants: Partial<SignedParts>[] = [
      { requestUri: 'sip:example.org' },
      { fromTag: 'x' },
      { toTag: 'x' },
      { callId: 'other' },
      { cseq: 2 },
      { cseqMethod: 'INVITE' },
      { date: 'Sat, 13 Nov 2010 23:29:01 GMT' },
      { body: register.body.replace('ab', 'ac') },
    ];
    for (const variant of variants) {
      expect(signedText({ ...register, ...variant } as SignedParts)).not.toBe(base);
    }
  });

  it('refuses a header with a line break, which could make two messages sign alike', () => {
    expect(() => signedText({ ...register, callId: 'x\ncseq: 9 BYE' })).toThrow(SignedPartsError);
    expect(() => signedText({ ...register, cseq: 1.5 })).toThrow(SignedPartsError);
  });
});

describe('emptying the Signature element', () => {
  it('works on raw multipart text, not only on one XML document', () => {
    const multipart = `--b\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--b\r\nContent-Type: application/p2p+xml\r\n\r\n${register.body}\r\n--b--\r\n`;
    expect(emptySignatureElement(multipart)).toBe(
      multipart.replace('<Signature>c2lnbmF0dXJl</Signature>', '<Signature/>'),
    );
  });

  it('gives the same text as the codec on a p2p+xml body, including one that carries a RevocationList', () => {
    const list = {
      kind: 'RevocationList' as const,
      issuer: 'CN=Chordline CA example.com',
      version: 1,
      issued: '2026-03-01T12:00:00Z',
      nextUpdate: '2026-03-02T12:00:00Z',
      revoked: [],
      signature: 'bGlzdA==',
    };
    const body = buildP2pXml({
      overlays: [{ ...TRUST_LOGIN_SERVER, messages: [list] }],
      credential: { kind: 'certificate-ref', fingerprint: 'a'.repeat(64) },
      signature: 'c2lnbmF0dXJl',
    });
    expect(body).toContain('<Signature>bGlzdA==</Signature></RevocationList>');

    expect(emptySignatureElement(body)).toBe(emptySignature(body));
    expect(emptySignatureElement(body)).toContain('<Signature>bGlzdA==</Signature></RevocationList>');
  });

  it('accepts whitespace around the envelope Signature and its content', () => {
    expect(emptySignatureElement('<P2Pxml><Signature >\n  QUJD\n</Signature >\n</P2Pxml>\n')).toBe(
      '<P2Pxml><Signature/>\n</P2Pxml>\n',
    );
    expect(emptySignatureElement('<P2Pxml><Signature /></P2Pxml>')).toBe('<P2Pxml><Signature/></P2Pxml>');
  });

  it('refuses a body with no envelope Signature, or two', () => {
    expect(() => emptySignatureElement('<P2Pxml/>')).toThrow(SignatureElementError);
    expect(() => emptySignatureElement('<P2Pxml><Signature/></Other>')).toThrow(/no envelope <Signature>/);
    const twoParts = `${emptied}\r\n--b\r\n${emptied}`;
    expect(() => emptySignatureElement(twoParts)).toThrow(/2 envelope <Signature> elements/);
    expect(() => signedText({ ...register, body: '' })).toThrow(SignatureElementError);
  });

  it('refuses a Signature element with markup inside instead of base64', () => {
    expect(() => emptySignatureElement('<P2Pxml><Signature><b/></Signature></P2Pxml>')).toThrow(
      SignatureElementError,
    );
  });
});
