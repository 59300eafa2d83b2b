import { describe, expect, it } from 'vitest';
import {
  IDENTITY_CHORD,
  P2pXmlError,
  TRUST_LOGIN_SERVER,
  buildP2pXml,
  findMessages,
  parseP2pXml,
} from '../../../../src-main/overlay/xml/index.ts';
import type { P2pDocument } from '../../../../src-main/overlay/xml/index.ts';
import {
  ALICE_ID,
  FINGERPRINT,
  SAMPLE_DOCUMENTS,
  SIGNATURE_B64,
  bootstrapOk,
  bootstrapRegRequest,
  certificateRequest,
  chord,
  failure,
  revocationList,
  trust,
} from './samples.ts';

describe('every message survives build and parse unchanged', () => {
  it.each(SAMPLE_DOCUMENTS)('%s', (_name, doc) => {
    const body = buildP2pXml(doc);
    expect(parseP2pXml(body)).toEqual(doc);
    // Stable: the same document gives the same text, and so does a parsed copy.
    expect(buildP2pXml(parseP2pXml(body))).toBe(body);
  });
});

describe('the wire form', () => {
  it('is compact, declaration-free and in the documented order', () => {
    const body = buildP2pXml({
      overlays: [{ ...TRUST_LOGIN_SERVER, messages: [certificateRequest] }],
      signature: '',
    });
    expect(body).toBe(
      '<P2Pxml xmlns="urn:chordline:p2p:1" version="1">' +
        '<Overlay layer="trust" algorithm="login-server"><CertificateRequest>' +
        `<NodeID>${ALICE_ID}</NodeID><PubKey>${certificateRequest.pubKey}</PubKey>` +
        '</CertificateRequest></Overlay><Signature/></P2Pxml>',
    );
  });

  it('carries several layers in one body, as the paper prototype combines trust and identity', () => {
    const doc: P2pDocument = {
      overlays: [
        { ...IDENTITY_CHORD, messages: [bootstrapRegRequest] },
        { ...TRUST_LOGIN_SERVER, messages: [revocationList] },
      ],
      credential: { kind: 'certificate-ref', fingerprint: FINGERPRINT },
      signature: SIGNATURE_B64,
    };
    const parsed = parseP2pXml(buildP2pXml(doc));
    expect(parsed).toEqual(doc);
    expect(findMessages(parsed, 'BootstrapRegRequest')).toEqual([bootstrapRegRequest]);
    expect(findMessages(parsed, 'RevocationList', TRUST_LOGIN_SERVER)).toEqual([revocationList]);
    expect(findMessages(parsed, 'RevocationList', IDENTITY_CHORD)).toEqual([]);
  });

  it('escapes text so that "<", "&" and quotes come back as written', () => {
    const doc = chord({ ...failure, reason: `a < b && "c" > 'd'` });
    const body = buildP2pXml(doc);
    expect(body).toContain('a &lt; b &amp;&amp; "c" &gt; \'d\'');
    expect(parseP2pXml(body)).toEqual(doc);
  });
});

describe('values stay as written', () => {
  it('keeps "007"-style text as strings, never numbers', () => {
    const doc = chord({ ...failure, reason: '007' }, { ...bootstrapRegRequest, nodeUrl: 'sip:007@10.0.0.7' });
    const parsed = parseP2pXml(buildP2pXml(doc));
    const [fail] = findMessages(parsed, 'Failure');
    const [reg] = findMessages(parsed, 'BootstrapRegRequest');
    expect(fail?.reason).toBe('007');
    expect(reg?.nodeUrl).toBe('sip:007@10.0.0.7');
    expect(reg?.nodeId).toBe(ALICE_ID);
    expect(reg?.nodeId.startsWith('007')).toBe(true);
  });

  it('keeps leading zeros of serial numbers and 1e3-looking text', () => {
    const list = {
      ...revocationList,
      issuer: '1e3',
      revoked: [{ ...revocationList.revoked[0]!, serial: '0000' }],
    };
    const parsed = parseP2pXml(buildP2pXml(trust(list)));
    const [got] = findMessages(parsed, 'RevocationList');
    expect(got?.issuer).toBe('1e3');
    expect(got?.revoked[0]?.serial).toBe('0000');
  });

  it('reads integer fields as numbers, tolerating leading zeros', () => {
    const body = buildP2pXml(trust({ kind: 'RevocationListRequest', since: 7 })).replace('>7<', '>007<');
    expect(findMessages(parseP2pXml(body), 'RevocationListRequest')[0]?.since).toBe(7);
  });

  it('reads pretty-printed bodies (whitespace between elements)', () => {
    const body = buildP2pXml(chord(bootstrapRegRequest)).replace(/></g, '>\n  <');
    expect(parseP2pXml(body)).toEqual(chord(bootstrapRegRequest));
  });
});

describe('build refuses what a peer would refuse', () => {
  const cases: ReadonlyArray<readonly [string, P2pDocument]> = [
    ['a short NodeID', trust({ ...certificateRequest, nodeId: 'abc' })],
    ['an uppercase NodeID', trust({ ...certificateRequest, nodeId: ALICE_ID.toUpperCase() })],
    ['bad base64', trust({ ...certificateRequest, pubKey: 'not base64!' })],
    ['a NodeURL that is not sip:', chord({ ...bootstrapRegRequest, nodeUrl: 'http://x' })],
    ['a negative Since', trust({ kind: 'RevocationListRequest', since: -1 })],
    ['a fractional RefreshRate', chord({ ...bootstrapOk, refreshRate: 1.5 })],
    ['a Failure code out of range', chord({ ...failure, code: 99 })],
    ['a two-line reason', chord({ ...failure, reason: 'one\ntwo' })],
    [
      'a revoked entry with an unknown reason',
      trust({
        ...revocationList,
        revoked: [{ ...revocationList.revoked[0]!, reason: 'bored' as 'superseded' }],
      }),
    ],
    ['an invalid date', trust({ ...revocationList, issued: '2025-02-30T00:00:00Z' })],
    ['a message in the wrong overlay', chord(certificateRequest)],
    ['an unknown message', chord({ kind: 'unknown', name: 'Foo' })],
    ['a bad layer name', { overlays: [{ layer: 'has space', algorithm: 'x', messages: [] }] }],
  ];
  it.each(cases)('%s', (_name, doc) => {
    expect(() => buildP2pXml(doc)).toThrow(P2pXmlError);
  });
});
