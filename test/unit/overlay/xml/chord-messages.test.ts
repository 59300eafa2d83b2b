import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ChordMessage } from '../../../../src-main/overlay/chord/chord-messages.ts';
import {
  IDENTITY_CHORD,
  P2pXmlError,
  TRUST_LOGIN_SERVER,
  buildP2pXml,
  emptySignature,
  fillSignature,
  findMessages,
  parseP2pXml,
} from '../../../../src-main/overlay/xml/index.ts';
import type {
  KnownMessage,
  OverlayMessage,
  P2pDocument,
  StoredBinding,
} from '../../../../src-main/overlay/xml/index.ts';
import { overlayVocabulary } from '../../../../src-main/overlay/xml/message-table.ts';
import { CHORD_SAMPLES, CHORD_SAMPLE_LIST, alice, binding, bob, carol, node } from './chord-samples.ts';
import type { ChordKind } from './chord-samples.ts';
import { FINGERPRINT, SIGNATURE_B64, chord, signed, trust } from './samples.ts';
import { validateWithXmllint } from './xmllint.ts';

// ---- the codec and the algorithm agree on every message ------------------------------------------

type Writable<T> = T extends readonly (infer E)[]
  ? Writable<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agreement = {
  [K in ChordKind]: Same<
    Writable<Extract<ChordMessage, { kind: K }>>,
    Writable<Extract<KnownMessage, { kind: K }>>
  >;
};

describe('the identity/chord vocabulary is chord-messages.ts', () => {
  it('has the same kinds and, kind by kind, the same fields (checked by tsc)', () => {
    // A kind the codec lacks, or a field added, dropped, renamed or retyped on either side, turns
    // its entry false and this line into a compile error.
    expectTypeOf<Agreement>().toEqualTypeOf<{ [K in ChordKind]: true }>();
    expect([...overlayVocabulary(IDENTITY_CHORD.layer, IDENTITY_CHORD.algorithm)!].sort()).toEqual(
      [...Object.keys(CHORD_SAMPLES), 'Failure', 'Delivered', 'SwitchLayer'].sort(),
    );
  });
});

describe('Delivered (how a call reached its device)', () => {
  it('round-trips its hop count and refuses one that is not a number', () => {
    const body = buildP2pXml(chord({ kind: 'Delivered', hops: 3 }));
    expect(body).toContain('<Delivered><Hops>3</Hops></Delivered>');
    expect(parseP2pXml(body).overlays[0].messages).toEqual([{ kind: 'Delivered', hops: 3 }]);
    expect(validateWithXmllint(body)).toEqual({ ok: true, output: '' });
    expect(() => parseP2pXml(body.replace('<Hops>3</Hops>', '<Hops>three</Hops>'))).toThrow(/Hops/);
  });
});

// ---- round trip ----------------------------------------------------------------------------

describe('every chord message comes back deep-equal to what was sent', () => {
  it.each(CHORD_SAMPLE_LIST)('%s', (_name, message) => {
    const doc = signed(chord(message));
    const body = buildP2pXml(doc);
    // toStrictEqual: an absent optional field stays absent (no `predecessor: undefined`).
    expect(parseP2pXml(body)).toStrictEqual(doc);
    expect(parseP2pXml(body).overlays[0]!.messages[0]).toStrictEqual(message);
    expect(buildP2pXml(parseP2pXml(body))).toBe(body);
  });

  it('omits optional nodes and writes empty lists as no elements at all', () => {
    expect(buildP2pXml(chord({ kind: 'FindSuccessorOK', owner: bob, successors: [] }))).toContain(
      `<FindSuccessorOK><Owner><NodeID>${bob.id}</NodeID><NodeURL>${bob.url}</NodeURL></Owner></FindSuccessorOK>`,
    );
    expect(buildP2pXml(chord({ kind: 'Neighbours', successors: [], bindings: [] }))).toContain(
      '<Neighbours/>',
    );
    expect(buildP2pXml(chord({ kind: 'Ping' }, { kind: 'Ack' }))).toContain(
      '<Overlay layer="identity" algorithm="chord"><Ping/><Ack/></Overlay>',
    );
  });

  it('writes times as integer milliseconds and escapes what a SIP URL may carry', () => {
    const body = buildP2pXml(chord({ kind: 'PutBinding', binding, avoid: [carol] }));
    expect(body).toContain(`<Expires>${binding.expiresAt}</Expires><Written>${binding.writtenAt}</Written>`);
    expect(body).toContain('<NodeURL>sips:carol@[2001:db8::3]:5061;x=a&amp;b</NodeURL>');
  });

  it('reads pretty-printed bodies and leading zeros in numbers', () => {
    const body = buildP2pXml(chord(CHORD_SAMPLES.Neighbours[0], { kind: 'Notify', handover: 1 }))
      .replace(/></g, '>\n  <')
      .replace('<Handover>1<', '<Handover>001<')
      .replace(`<Written>${binding.writtenAt}<`, `<Written>000${binding.writtenAt}<`);
    expect(parseP2pXml(body)).toStrictEqual(
      chord(CHORD_SAMPLES.Neighbours[0], { kind: 'Notify', handover: 1 }),
    );
  });

  it('skips extension elements of other namespaces, also inside nodes, bindings and empty messages', () => {
    const ext = '<x:Hint xmlns:x="urn:example">007</x:Hint>';
    const body = buildP2pXml(chord(CHORD_SAMPLES.Leave[0], { kind: 'Pong' }))
      .replace('</NodeURL></Predecessor>', `</NodeURL>${ext}</Predecessor>`)
      .replace('</Written></Binding>', `</Written>${ext}</Binding>`)
      .replace('<Pong/>', `<Pong>${ext}</Pong>`);
    expect(parseP2pXml(body)).toStrictEqual(chord(CHORD_SAMPLES.Leave[0], { kind: 'Pong' }));
    expect(validateWithXmllint(body).ok).toBe(true);
  });
});

describe('several chord messages and a trust part share one signed body', () => {
  const doc: P2pDocument = {
    overlays: [
      {
        ...IDENTITY_CHORD,
        messages: [
          { kind: 'Notify', handover: 1 },
          { kind: 'UpdateFingers' },
          CHORD_SAMPLES.FindSuccessor[1],
          CHORD_SAMPLES.PutBinding[0],
        ],
      },
      { ...TRUST_LOGIN_SERVER, messages: [{ kind: 'RevocationListRequest', since: 4 }] },
    ],
    credential: { kind: 'certificate-ref', fingerprint: FINGERPRINT },
    signature: '',
  };

  it('round trips, validates, and signs like any other body', () => {
    const placeholder = buildP2pXml(doc);
    expect(validateWithXmllint(placeholder)).toEqual({ ok: true, output: '' });
    const body = fillSignature(placeholder, SIGNATURE_B64);
    expect(emptySignature(body)).toBe(placeholder);
    const parsed = parseP2pXml(body);
    expect(parsed).toStrictEqual({ ...doc, signature: SIGNATURE_B64 });
    expect(findMessages(parsed, 'PutBinding', IDENTITY_CHORD)).toStrictEqual([CHORD_SAMPLES.PutBinding[0]]);
    expect(findMessages(parsed, 'Notify')[0]?.handover).toBe(1);
    expect(findMessages(parsed, 'RevocationListRequest', TRUST_LOGIN_SERVER)[0]?.since).toBe(4);
  });

  it('but chord messages mean nothing in another overlay', () => {
    expect(() => buildP2pXml(trust({ kind: 'Ping' }))).toThrow(/Ping does not belong to trust\/login-server/);
    const body = buildP2pXml(chord({ kind: 'Ping' })).replace(
      'layer="identity" algorithm="chord"',
      'layer="trust" algorithm="login-server"',
    );
    expect(parseP2pXml(body).overlays[0]!.messages).toEqual([{ kind: 'unknown', name: 'Ping' }]);
  });
});

// ---- strictness ----------------------------------------------------------------------------

describe('build refuses a chord message a peer would refuse', () => {
  const cases: ReadonlyArray<readonly [string, OverlayMessage]> = [
    ['a Key of 39 hex digits', { kind: 'FindSuccessor', key: 'a'.repeat(39), avoid: [] }],
    ['an uppercase Key', { kind: 'FindSuccessor', key: bob.id.toUpperCase(), avoid: [] }],
    [
      'an Avoid NodeID that is not hex',
      { kind: 'FindSuccessor', key: bob.id, avoid: [{ ...alice, id: 'z'.repeat(40) }] },
    ],
    [
      'an Owner URL that is not sip:',
      { kind: 'FindSuccessorOK', owner: { ...bob, url: 'http://bob' }, successors: [] },
    ],
    [
      'a Successor URL with a space',
      { kind: 'Neighbours', successors: [{ ...bob, url: 'sip:b ob' }], bindings: [] },
    ],
    ['a Next with a short NodeID', { kind: 'Redirect', next: { ...carol, id: 'abc' } }],
    ['a negative Handover', { kind: 'Notify', handover: -1 }],
    ['a fractional Handover', { kind: 'Notify', handover: 0.5 }],
    ['a negative Changed', { kind: 'FingersUpdated', changed: -1 }],
    ['a negative Expires', { kind: 'PutBinding', binding: { ...binding, expiresAt: -1 }, avoid: [] }],
    ['a fractional Written', { kind: 'StoreBindings', bindings: [{ ...binding, writtenAt: 1.5 }] }],
    ['an Expires past 2^53 - 1', { kind: 'Bindings', bindings: [{ ...binding, expiresAt: 2 ** 53 }] }],
    ['a NaN Written', { kind: 'Bindings', bindings: [{ ...binding, writtenAt: Number.NaN }] }],
    ['an AOR without sip:', { kind: 'GetBindings', aor: 'alice@atlanta.com', avoid: [] }],
    [
      'a Contact that is a tel: URI',
      { kind: 'Bindings', bindings: [{ ...binding, contact: 'tel:+15551234' }] },
    ],
    [
      'a short CertificateFingerprint',
      { kind: 'Bindings', bindings: [{ ...binding, certificateFingerprint: 'ab' }] },
    ],
    [
      'a binding NodeID of 41 digits',
      { kind: 'Leave', successors: [], bindings: [{ ...binding, nodeId: `${bob.id}0` }] },
    ],
  ];
  it.each(cases)('%s', (_name, message) => {
    expect(() => buildP2pXml(chord(message))).toThrow(P2pXmlError);
  });

  it('names the offending field in the error', () => {
    expect(() =>
      buildP2pXml(chord({ kind: 'Leave', successors: [bob, { ...carol, url: 'x' }], bindings: [] })),
    ).toThrow(/Leave\/Successor\[2\]\/NodeURL must be a sip: or sips: URI/);
    expect(() => buildP2pXml(chord({ kind: 'Notify', handover: -1 }))).toThrow(
      /Notify\/Handover must be an integer/,
    );
  });
});

describe('parse refuses what the schema refuses', () => {
  const ok = (...messages: OverlayMessage[]) => buildP2pXml(chord(...messages));
  const find = ok(CHORD_SAMPLES.FindSuccessor[1]);
  const neighbours = ok(CHORD_SAMPLES.Neighbours[0]);
  const put = ok(CHORD_SAMPLES.PutBinding[0]);
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    [
      'a Key that is not 40 hex digits',
      find.replace(`<Key>${bob.id}`, '<Key>xyz'),
      /FindSuccessor\/Key must be 40/,
    ],
    [
      'an uppercase NodeID',
      find.replace(`<NodeID>${alice.id}`, `<NodeID>${alice.id.toUpperCase()}`),
      /Avoid\[1\]\/NodeID/,
    ],
    [
      'a NodeURL that is not sip:',
      neighbours.replace(`<NodeURL>${bob.url}`, '<NodeURL>http://bob'),
      /Successor\[1\]\/NodeURL/,
    ],
    ['an AOR that is not sip:', put.replace('<AOR>sip:', '<AOR>mailto:'), /PutBinding\/Binding\/AOR/],
    [
      'a negative Handover',
      ok({ kind: 'Notify', handover: 1 }).replace('>1<', '>-1<'),
      /Notify\/Handover must be a decimal/,
    ],
    [
      'a signed Changed',
      ok({ kind: 'FingersUpdated', changed: 3 }).replace('>3<', '>+3<'),
      /Changed must be a decimal/,
    ],
    ['a negative Expires', put.replace(`<Expires>${binding.expiresAt}`, '<Expires>-5'), /Binding\/Expires/],
    [
      'an Expires in exponent form',
      put.replace(`<Expires>${binding.expiresAt}`, '<Expires>1e12'),
      /Binding\/Expires/,
    ],
    [
      'a Written past 2^53 - 1',
      put.replace(`<Written>${binding.writtenAt}`, '<Written>9007199254740992'),
      /Written/,
    ],
    ['a missing Written', put.replace(/<Written>\d+<\/Written>/, ''), /missing <Written>/],
    [
      'a missing Owner',
      ok({ kind: 'FindSuccessorOK', owner: bob, successors: [] }).replace(/<Owner>.*<\/Owner>/, ''),
      /missing <Owner>/,
    ],
    [
      'a missing Next',
      ok({ kind: 'Redirect', next: carol }).replace(/<Next>.*<\/Next>/, ''),
      /missing <Next>/,
    ],
    [
      'an empty node',
      ok({ kind: 'FindSuccessorForward', next: carol }).replace(/<Next>.*<\/Next>/, '<Next/>'),
      /missing <NodeID>/,
    ],
    [
      'two Predecessors',
      neighbours.replace(
        '<Successor>',
        `<Predecessor><NodeID>${bob.id}</NodeID><NodeURL>${bob.url}</NodeURL></Predecessor><Successor>`,
      ),
      /more than 1 <Predecessor>/,
    ],
    [
      'a Predecessor after the Successors',
      neighbours.replace(/(<Predecessor>.*?<\/Predecessor>)(.*?)(<Binding>)/, '$2$1$3'),
      /out of order/,
    ],
    [
      'a Binding before the Successors',
      neighbours.replace(
        /(<Successor>.*?<\/Successor>)(<Successor>.*?<\/Successor>)(<Binding>.*?<\/Binding>)/,
        '$3$1$2',
      ),
      /out of order/,
    ],
    [
      'text in an empty message',
      ok({ kind: 'Ping' }).replace('<Ping/>', '<Ping>hello</Ping>'),
      /Ping must contain elements only/,
    ],
    [
      'an element of ours in an empty message',
      ok({ kind: 'Ack' }).replace('<Ack/>', '<Ack><Binding/></Ack>'),
      /Ack must not contain <Binding>/,
    ],
  ];

  it.each(cases)('%s', (_name, body, reason) => {
    expect(() => parseP2pXml(body)).toThrow(P2pXmlError);
    expect(() => parseP2pXml(body)).toThrow(reason);
    expect(validateWithXmllint(body).ok).toBe(false);
  });
});

// ---- sizes ----------------------------------------------------------------------------------

/** The headers sip/ writes on a signed REGISTER to a peer (sip-stack.ts buildRequest), realistic lengths. */
function registerHeaders(body: string): string {
  return [
    'REGISTER sip:alice@192.0.2.1:5060 SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK5d2f7c3a9e1b4f60;rport',
    'Max-Forwards: 70',
    'From: <sip:bob@atlanta.com>;tag=8c1e4f2a9b',
    'To: <sip:bob@atlanta.com>',
    'Call-ID: 0f8e4a6c-3b2d-4e1f-9a7c-5d6e8f0a1b2c',
    'CSeq: 12 REGISTER',
    'Contact: <sip:bob@192.0.2.2:5060>',
    'User-Agent: Chordline',
    'Expires: 300',
    'Date: Tue, 24 Nov 2026 20:40:00 GMT',
    'Content-Type: application/p2p+xml',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    '',
  ].join('\r\n');
}

describe('the ring maintenance fits in one UDP datagram (RFC 3261: under 1300 bytes)', () => {
  const signature = Buffer.alloc(256, 0xa5).toString('base64'); // RSA-2048
  const signedBody = (message: OverlayMessage) =>
    buildP2pXml({
      ...chord(message),
      credential: { kind: 'certificate-ref', fingerprint: FINGERPRINT },
      signature,
    });

  it('a signed REGISTER with FindSuccessor and a CertificateRef', () => {
    const body = signedBody({ kind: 'FindSuccessor', key: bob.id, avoid: [] });
    expect(Buffer.byteLength(body)).toBeLessThan(700);
    expect(Buffer.byteLength(registerHeaders(body) + body)).toBeLessThan(1100);
  });

  it('a signed Neighbours with a predecessor and 4 successors', () => {
    const body = signedBody({
      kind: 'Neighbours',
      predecessor: node(9),
      successors: [node(1), node(2), node(3), node(4)],
      bindings: [],
    });
    expect(Buffer.byteLength(body)).toBeLessThan(1250);
  });
});

// ---- the example bodies of PROTOCOL.md section 6 use the ring's real identities ---------------

const FIXTURES = fileURLToPath(new URL('../../../fixtures/p2pxml/', import.meta.url));
const fixture = (name: string) => readFileSync(`${FIXTURES}${name}`, 'utf8');

interface Member {
  readonly url: string;
  readonly aor: string;
  readonly fingerprint: string;
}

/** Carol, Bob and Alice as their certificates and the join examples say. */
function ringFromJoinExamples(): Map<string, Member> {
  const urls = new Map<string, string>();
  for (const reg of findMessages(parseP2pXml(fixture('bootstrap-register.xml')), 'BootstrapRegRequest')) {
    urls.set(reg.nodeId, reg.nodeUrl);
  }
  for (const ok of findMessages(parseP2pXml(fixture('bootstrap-ok.xml')), 'BootstrapOK')) {
    for (const finger of ok.fingerTable) urls.set(finger.nodeId, finger.nodeUrl);
  }
  const ring = new Map<string, Member>();
  for (const name of ['bootstrap-register.xml', 'bootstrap-forward.xml', 'bootstrap-ok.xml']) {
    const credential = parseP2pXml(fixture(name)).credential;
    if (credential?.kind !== 'certificate') throw new Error(`${name} has no certificate`);
    const der = Buffer.from(credential.certificate, 'base64');
    const names = new X509Certificate(der).subjectAltName ?? '';
    const id = /urn:chordline:node:([0-9a-f]{40})/.exec(names)![1]!;
    ring.set(id, {
      url: urls.get(id)!,
      aor: /URI:(sip:[^,]+)/.exec(names)![1]!,
      fingerprint: createHash('sha256').update(der).digest('hex'),
    });
  }
  return ring;
}

describe('the chord examples of docs/PROTOCOL.md (test/fixtures/p2pxml/chord-*.xml)', () => {
  const ring = ringFromJoinExamples();
  const names = readdirSync(FIXTURES).filter((name) => name.startsWith('chord-') && name.endsWith('.xml'));

  it('show every chord message once', () => {
    const kinds = names.flatMap((name) =>
      parseP2pXml(fixture(name)).overlays.flatMap((o) => o.messages.map((m) => m.kind)),
    );
    const own = Object.keys(CHORD_SAMPLES).filter((kind) => !kind.startsWith('Bootstrap'));
    expect(kinds.sort()).toEqual(own.sort());
  });

  it.each(names)("%s names only the ring's nodes, certificates and AORs", (name) => {
    const doc = parseP2pXml(fixture(name));
    const fingerprints = [...ring.values()].map((member) => member.fingerprint);
    expect(
      doc.credential?.kind === 'certificate-ref' && fingerprints.includes(doc.credential.fingerprint),
    ).toBe(true);
    const message: Readonly<Record<string, unknown>> = { ...doc.overlays[0]!.messages[0]! };
    const nodes = ['owner', 'predecessor', 'next', 'successors', 'avoid'].flatMap((field) =>
      [message[field] ?? []].flat(),
    );
    for (const { id, url } of nodes as Array<{ id: string; url: string }>)
      expect(ring.get(id)?.url).toBe(url);
    const bindings = [message['binding'] ?? [], message['bindings'] ?? []].flat() as StoredBinding[];
    for (const b of bindings) {
      const member = ring.get(b.nodeId)!;
      expect([b.aor, b.contact, b.certificateFingerprint]).toEqual([
        member.aor,
        member.url,
        member.fingerprint,
      ]);
      expect(b.expiresAt - b.writtenAt).toBe(3_600_000);
    }
    if (message.kind === 'FindSuccessor') {
      expect(message['key']).toBe(createHash('sha1').update('sip:bob@atlanta.com', 'utf8').digest('hex'));
    }
  });
});
