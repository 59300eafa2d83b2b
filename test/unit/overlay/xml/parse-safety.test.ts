import { describe, expect, it } from 'vitest';
import { P2pXmlError, buildP2pXml, parseP2pXml } from '../../../../src-main/overlay/xml/index.ts';
import { ALICE_ID, PUBKEY_B64, bootstrapOk, certificateRequest, chord, trust } from './samples.ts';

const OPEN = '<P2Pxml xmlns="urn:chordline:p2p:1" version="1">';
const LOGIN = '<Overlay layer="trust" algorithm="login-server">';

/** A CertificateRequest body with its NodeID and PubKey text replaced. */
function request(nodeId: string, pubKey = PUBKEY_B64): string {
  return `${OPEN}${LOGIN}<CertificateRequest><NodeID>${nodeId}</NodeID><PubKey>${pubKey}</PubKey></CertificateRequest></Overlay></P2Pxml>`;
}

/** The reason parseP2pXml gives for refusing `text`; fails the test if it accepts it. */
function refusal(text: string, maxBytes?: number): string {
  try {
    parseP2pXml(text, maxBytes === undefined ? {} : { maxBytes });
  } catch (error) {
    expect(error).toBeInstanceOf(P2pXmlError);
    return (error as P2pXmlError).reason;
  }
  throw new Error(`accepted: ${text.slice(0, 120)}`);
}

describe('a hostile peer cannot make the parser expand, fetch or declare anything', () => {
  it('refuses the billion laughs', () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE P2Pxml [',
      '  <!ENTITY lol "lol">',
      ...Array.from(
        { length: 9 },
        (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
      ),
      ']>',
      `${OPEN}${LOGIN}<Failure><Code>500</Code><Reason>&lol9;</Reason></Failure></Overlay></P2Pxml>`,
    ].join('\n');
    expect(refusal(lol)).toMatch(/DOCTYPE/);
  });

  it('refuses an external entity', () => {
    const xxe = `<!DOCTYPE P2Pxml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${request('&xxe;')}`;
    expect(refusal(xxe)).toMatch(/DOCTYPE and ENTITY/);
  });

  it('refuses DTD markup whatever its case and wherever it hides', () => {
    expect(refusal(`<!doctype P2Pxml>${request(ALICE_ID)}`)).toMatch(/DOCTYPE/);
    expect(refusal(request(ALICE_ID).replace('</P2Pxml>', '<!-- <!EnTiTy x "y"> --></P2Pxml>'))).toMatch(
      /ENTITY/,
    );
  });

  it('refuses references to entities no one declared, and leaves no raw "&" behind', () => {
    expect(refusal(request('&xxe;'))).toMatch(/undefined entity reference "&xxe;"/);
    expect(refusal(request('&#0;'))).toMatch(/not an XML character/);
  });

  it('refuses elements whose names would pollute prototypes', () => {
    expect(refusal(`${OPEN}${LOGIN}<__proto__/></Overlay></P2Pxml>`)).toMatch(/malformed XML/);
  });

  it('refuses absurd nesting before it can exhaust the stack', () => {
    const deep = `${OPEN}${LOGIN}${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</Overlay></P2Pxml>`;
    expect(refusal(deep)).toMatch(/nested/i);
  });
});

describe('size', () => {
  it('refuses a body over 64 KiB by default, before parsing it', () => {
    const padding = `<Pad>${'x'.repeat(64 * 1024)}</Pad>`;
    expect(refusal(request(ALICE_ID).replace(LOGIN, LOGIN + padding))).toMatch(/over the 65536-byte limit/);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const body = request(ALICE_ID).replace(LOGIN, `${LOGIN}<Pad>${'é'.repeat(400)}</Pad>`);
    expect(body.length).toBeLessThan(1000);
    expect(refusal(body, 1000)).toMatch(/over the 1000-byte limit/);
  });

  it('takes a smaller bound as a parameter', () => {
    const body = request(ALICE_ID);
    expect(() => parseP2pXml(body, { maxBytes: body.length })).not.toThrow();
    expect(refusal(body, body.length - 1)).toMatch(/limit/);
  });
});

describe('malformed and misshapen bodies are refused with a reason a person can read', () => {
  const good = buildP2pXml(trust(certificateRequest));

  it.each([10, good.length / 2, good.length - 1].map(Math.floor))(
    'a body truncated to %i characters',
    (n) => {
      expect(refusal(good.slice(0, n))).toMatch(/malformed XML/);
    },
  );

  it.each([
    ['empty text', '', /malformed XML/],
    ['not XML', 'REGISTER sip:ls@atlanta.com SIP/2.0', /malformed XML/],
    ['two roots', `${good}<P2Pxml/>`, /one root element|malformed/],
    [
      'the wrong root',
      '<Overlay layer="trust" algorithm="login-server"/>',
      /root element must be <P2Pxml>, found <Overlay>/,
    ],
    [
      'the paper body without namespace',
      '<P2Pxml version="1"></P2Pxml>',
      /namespace urn:chordline:p2p:1, found none/,
    ],
    ['another namespace', '<P2Pxml xmlns="urn:other" version="1"/>', /namespace/],
    ['no version', '<P2Pxml xmlns="urn:chordline:p2p:1"/>', /version="1", found none/],
    ['version 2', '<P2Pxml xmlns="urn:chordline:p2p:1" version="2"/>', /version="1", found "2"/],
    ['a control character', request(ALICE_ID).replace('<PubKey>', '<PubKey>\u0007'), /U\+0007/],
    ['text in the envelope', `${OPEN}hello</P2Pxml>`, /elements only/],
    ['an unknown envelope element', `${OPEN}<Foo/></P2Pxml>`, /must not contain <Foo>/],
    [
      'an Overlay after the credential',
      `${OPEN}<CertificateRef>${'a'.repeat(64)}</CertificateRef>${LOGIN}</Overlay></P2Pxml>`,
      /out of place/,
    ],
    [
      'Certificate and CertificateRef',
      `${OPEN}<Certificate>AAAA</Certificate><CertificateRef>${'a'.repeat(64)}</CertificateRef></P2Pxml>`,
      /out of place/,
    ],
    ['two Signatures', `${OPEN}<Signature/><Signature/></P2Pxml>`, /out of place/],
    ['a Signature before an Overlay', `${OPEN}<Signature/>${LOGIN}</Overlay></P2Pxml>`, /out of place/],
    ['an Overlay without layer', `${OPEN}<Overlay algorithm="chord"/></P2Pxml>`, /@layer must be a token/],
    [
      'a bad CertificateRef',
      `${OPEN}<CertificateRef>abc</CertificateRef></P2Pxml>`,
      /CertificateRef must be 64 lowercase hex/,
    ],
  ])('%s', (_name, text, reason) => {
    expect(refusal(text)).toMatch(reason);
  });

  it.each([
    ['39 digits', ALICE_ID.slice(1)],
    ['41 digits', `${ALICE_ID}0`],
    ['uppercase', ALICE_ID.toUpperCase()],
    ['not hex', 'g'.repeat(40)],
    ['the paper example "0"', '0'],
    ['empty', ''],
  ])('a NodeID of %s', (_name, nodeId) => {
    expect(refusal(request(nodeId))).toMatch(
      /P2Pxml\/Overlay\[1\]\/CertificateRequest\/NodeID must be 40 lowercase hex digits/,
    );
  });

  it.each([
    ['a character outside the alphabet', 'AAA*'],
    ['missing padding', 'AAA'],
    ['padding in the middle', 'AA==AAAA'],
    ['non-zero unused bits', 'AB=='],
    ['whitespace inside', 'AAAA AAAA'],
    ['nothing', ''],
  ])('a PubKey with %s', (_name, pubKey) => {
    expect(refusal(request(ALICE_ID, pubKey))).toMatch(/PubKey must (be canonical base64|not be empty)/);
  });

  it.each([
    [
      'missing PubKey',
      `<CertificateRequest><NodeID>${ALICE_ID}</NodeID></CertificateRequest>`,
      /missing <PubKey>/,
    ],
    [
      'NodeID twice',
      `<CertificateRequest><NodeID>${ALICE_ID}</NodeID><NodeID>${ALICE_ID}</NodeID><PubKey>AAAA</PubKey></CertificateRequest>`,
      /more than 1 <NodeID>/,
    ],
    [
      'fields out of order',
      `<CertificateRequest><PubKey>AAAA</PubKey><NodeID>${ALICE_ID}</NodeID></CertificateRequest>`,
      /NodeID is out of order/,
    ],
    [
      'an unexpected field',
      `<CertificateRequest><NodeID>${ALICE_ID}</NodeID><Password>x</Password><PubKey>AAAA</PubKey></CertificateRequest>`,
      /must not contain <Password>/,
    ],
    [
      'a NodeID with children',
      `<CertificateRequest><NodeID><NodeID/></NodeID><PubKey>AAAA</PubKey></CertificateRequest>`,
      /NodeID must contain text only/,
    ],
    [
      'a Code that is not a number',
      `<Failure><Code>abc</Code><Reason>x</Reason></Failure>`,
      /Code must be a decimal integer/,
    ],
  ])('%s', (_name, message, reason) => {
    expect(refusal(`${OPEN}${LOGIN}${message}</Overlay></P2Pxml>`)).toMatch(reason);
  });

  it('refuses a BootstrapOK with a predecessor URL but no predecessor ID', () => {
    const body = `${OPEN}<Overlay layer="identity" algorithm="chord"><BootstrapOK><NodeID>${ALICE_ID}</NodeID><SuccessorURL>sip:a</SuccessorURL><SuccessorID>${ALICE_ID}</SuccessorID><PredecessorURL>sip:b</PredecessorURL><RefreshRate>1</RefreshRate></BootstrapOK></Overlay></P2Pxml>`;
    expect(refusal(body)).toMatch(/both PredecessorURL and PredecessorID, or neither/);
  });

  it('names where the fault is', () => {
    const start = bootstrapOk.fingerTable[1]!.start;
    const body = buildP2pXml(chord(bootstrapOk)).replace(`<Start>${start}<`, `<Start>${start.slice(3)}<`);
    expect(refusal(body)).toBe(
      'P2Pxml/Overlay[1]/BootstrapOK/FingerTable/Finger[2]/Start must be 40 lowercase hex digits (a SHA-1 NodeID), got "000000000000000000000000…"',
    );
  });
});
