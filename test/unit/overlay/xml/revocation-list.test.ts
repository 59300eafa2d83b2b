import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildP2pXml,
  findMessages,
  parseP2pXml,
  revocationListSignedText,
} from '../../../../src-main/overlay/xml/index.ts';
import type { RevocationList } from '../../../../src-main/overlay/xml/index.ts';
import { FINGERPRINT, revocationList, trust } from './samples.ts';

describe('the CA signs its revocation list over a text any peer can rebuild', () => {
  it('is exactly the documented text (docs/PROTOCOL.md, "Revocation")', () => {
    expect(revocationListSignedText(revocationList)).toBe(
      [
        'chordline-revocation-list-1',
        'issuer: CN=Chordline CA atlanta.com & <friends>',
        'version: 7',
        'issued: 2025-11-24T20:00:00Z',
        'next-update: 2025-11-25T20:00:00.500Z',
        `revoked: 007a ${FINGERPRINT} 2025-11-24T19:59:59Z keyCompromise`,
        `revoked: 00 ${'f'.repeat(64)} 2025-11-01T00:00:00Z superseded`,
        '',
      ].join('\n'),
    );
  });

  it('an empty list is the header lines only', () => {
    expect(revocationListSignedText({ ...revocationList, revoked: [] })).toMatch(/next-update: \S+\n$/);
  });

  it('when the CA signs a list, a peer that received it in a body verifies it', () => {
    const ca = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const unsigned: Omit<RevocationList, 'signature'> = { ...revocationList };
    const signature = sign('sha256', Buffer.from(revocationListSignedText(unsigned), 'utf8'), ca.privateKey);
    const body = buildP2pXml(trust({ ...unsigned, signature: signature.toString('base64') }));

    const [received] = findMessages(parseP2pXml(body), 'RevocationList');
    const text = Buffer.from(revocationListSignedText(received!), 'utf8');
    expect(verify('sha256', text, ca.publicKey, Buffer.from(received!.signature, 'base64'))).toBe(true);

    // A revocation removed on the way no longer verifies.
    const trimmed = { ...received!, revoked: received!.revoked.slice(1) };
    const forged = Buffer.from(revocationListSignedText(trimmed), 'utf8');
    expect(verify('sha256', forged, ca.publicKey, Buffer.from(received!.signature, 'base64'))).toBe(false);
  });
});
