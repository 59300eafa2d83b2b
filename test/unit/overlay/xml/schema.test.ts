import { createHash, verify, X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildP2pXml,
  emptySignature,
  findMessages,
  parseP2pXml,
  revocationListSignedText,
} from '../../../../src-main/overlay/xml/index.ts';
import type { P2pDocument } from '../../../../src-main/overlay/xml/index.ts';
import { SAMPLE_DOCUMENTS, bootstrapRegRequest, chord, revocationList } from './samples.ts';
import { validateWithXmllint } from './xmllint.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/p2pxml/', import.meta.url));
const PROTOCOL_MD = fileURLToPath(new URL('../../../../docs/PROTOCOL.md', import.meta.url));
const fixtureNames = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.xml'))
  .sort();
const fixture = (name: string) => readFileSync(`${FIXTURES}${name}`, 'utf8');

describe('everything the codec builds is valid against docs/p2p.xsd (real xmllint)', () => {
  const variants: Array<readonly [string, P2pDocument]> = SAMPLE_DOCUMENTS.flatMap(([name, doc]) => [
    [name, doc] as const,
    [`${name}, signature placeholder`, { ...doc, signature: '' }] as const,
  ]);
  variants.push([
    'trust and identity in one body',
    { overlays: [...chord(bootstrapRegRequest).overlays, ...SAMPLE_DOCUMENTS[1]![1].overlays] },
  ]);

  it.each(variants)('%s', (_name, doc) => {
    const result = validateWithXmllint(buildP2pXml(doc));
    expect(result.output).not.toMatch(/error/i);
    expect(result.ok).toBe(true);
  });
});

describe('the schema checks what the parser checks', () => {
  const body = buildP2pXml(chord(bootstrapRegRequest));
  it.each([
    [
      'an uppercase NodeID',
      body.replace(bootstrapRegRequest.nodeId, bootstrapRegRequest.nodeId.toUpperCase()),
    ],
    ['a NodeURL that is not sip:', body.replace(bootstrapRegRequest.nodeUrl, 'http://example.com')],
    ['a missing NodeURL', body.replace(/<NodeURL>.*<\/NodeURL>/, '')],
    ['no version', body.replace(' version="1"', '')],
    [
      'a Signature that is not last',
      body.replace(
        '</P2Pxml>',
        '<Signature/><CertificateRef>' + 'a'.repeat(64) + '</CertificateRef></P2Pxml>',
      ),
    ],
    [
      'non-canonical base64 in a known message inside an overlay',
      buildP2pXml({
        overlays: [{ layer: 'trust', algorithm: 'login-server', messages: [{ ...revocationList }] }],
      }).replace(revocationList.signature, 'AB=='),
    ],
    [
      'a Failure code of 99',
      body.replace(
        /<BootstrapRegRequest>.*<\/BootstrapRegRequest>/,
        '<Failure><Code>99</Code><Reason>x</Reason></Failure>',
      ),
    ],
  ])('xmllint refuses %s', (_name, xml) => {
    expect(validateWithXmllint(xml).ok).toBe(false);
  });

  it('and lets unknown elements and overlays through, as the parser does', () => {
    const extended = body.replace(
      '<Overlay',
      '<Overlay layer="feature" algorithm="conference"><MixOffer><Anything/></MixOffer></Overlay><Overlay',
    );
    expect(validateWithXmllint(extended)).toEqual({ ok: true, output: '' });
    expect(parseP2pXml(extended).overlays[0]?.messages).toEqual([{ kind: 'unknown', name: 'MixOffer' }]);
  });
});

describe('the example bodies of docs/PROTOCOL.md (test/fixtures/p2pxml)', () => {
  it('are there', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(8);
  });

  it.each(fixtureNames)('%s validates, parses, and builds again into a valid body', (name) => {
    const text = fixture(name);
    expect(validateWithXmllint(text).ok).toBe(true);
    const doc = parseP2pXml(text);
    expect(validateWithXmllint(buildP2pXml(doc)).ok).toBe(true);
    if (doc.signature !== undefined) expect(emptySignature(text)).toContain('<Signature/>');
  });

  it('are exactly the XML blocks in the document, each shown once', () => {
    const blocks = [...readFileSync(PROTOCOL_MD, 'utf8').matchAll(/```xml\n(<P2Pxml[\s\S]*?)```/g)].map(
      (m) => m[1],
    );
    expect(blocks.sort()).toEqual(fixtureNames.map(fixture).sort());
  });

  it('use real values: NodeID is the SHA-1 of PubKey, fingerprints are of the certificates', () => {
    const [request] = findMessages(parseP2pXml(fixture('login-register.xml')), 'CertificateRequest');
    const spki = Buffer.from(request!.pubKey, 'base64');
    expect(createHash('sha1').update(spki).digest('hex')).toBe(request!.nodeId);

    const [issued] = findMessages(parseP2pXml(fixture('login-ok.xml')), 'CertificateIssued');
    const bobDer = Buffer.from(issued!.certificate, 'base64');
    const bob = new X509Certificate(bobDer);
    expect(bob.subjectAltName).toContain(`urn:chordline:node:${request!.nodeId}`);
    const ref = parseP2pXml(fixture('revocation-request.xml')).credential;
    expect(ref).toEqual({
      kind: 'certificate-ref',
      fingerprint: createHash('sha256').update(bobDer).digest('hex'),
    });
  });

  it('carry revocation lists that verify against the CA certificate from the login', () => {
    const [issued] = findMessages(parseP2pXml(fixture('login-ok.xml')), 'CertificateIssued');
    const ca = new X509Certificate(Buffer.from(issued!.caCertificate, 'base64'));
    const lists = ['login-ok.xml', 'revocation-list.xml', 'bootstrap-ok.xml'].flatMap((name) => {
      const doc = parseP2pXml(fixture(name));
      return [
        ...findMessages(doc, 'RevocationList'),
        ...findMessages(doc, 'CertificateIssued').map((m) => m.revocationList!),
      ];
    });
    expect(lists.map((list) => list.version)).toEqual([3, 4, 4]);
    for (const list of lists) {
      const text = Buffer.from(revocationListSignedText(list), 'utf8');
      expect(verify('sha256', text, ca.publicKey, Buffer.from(list.signature, 'base64'))).toBe(true);
    }
  });

  it("carry Bob's real signature over the signed text shown for BootstrapRegRequest", () => {
    const body = fixture('bootstrap-register.xml');
    const signedText = readFileSync(`${FIXTURES}bootstrap-register.signed.txt`, 'utf8');
    const digest = createHash('sha256').update(emptySignature(body), 'utf8').digest('hex');
    expect(signedText).toContain(`\nbody-sha256: ${digest}\n`);
    const doc = parseP2pXml(body);
    expect(doc.credential?.kind).toBe('certificate');
    const certificate = doc.credential?.kind === 'certificate' ? doc.credential.certificate : '';
    const bob = new X509Certificate(Buffer.from(certificate, 'base64'));
    expect(
      verify('sha256', Buffer.from(signedText, 'utf8'), bob.publicKey, Buffer.from(doc.signature!, 'base64')),
    ).toBe(true);
  });
});
