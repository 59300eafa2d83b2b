import { describe, expect, expectTypeOf, it } from 'vitest';

import type { OneHopMessage, OneHopOwnKind } from '../../../../src-main/overlay/onehop/onehop-messages.ts';
import { IDENTITY_ONEHOP, buildP2pXml, parseP2pXml } from '../../../../src-main/overlay/xml/index.ts';
import type { KnownMessage, OverlayMessage, P2pDocument } from '../../../../src-main/overlay/xml/index.ts';
import { overlayVocabulary } from '../../../../src-main/overlay/xml/message-table.ts';
import { validateWithXmllint } from '../xml/xmllint.ts';

type Writable<T> = T extends readonly (infer E)[]
  ? Writable<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agreement = {
  [K in OneHopMessage['kind']]: Same<
    Writable<Extract<OneHopMessage, { kind: K }>>,
    Writable<Extract<KnownMessage, { kind: K }>>
  >;
};

const ALICE = { id: '0070000000000000000000000000000000000a1c', url: 'sip:alice@192.0.2.1:5060' };
const BOB = { id: '00b0b00000000000000000000000000000000007', url: 'sip:007@192.0.2.7:5070;transport=udp' };
const binding = {
  aor: 'sip:bob@atlanta.com',
  contact: 'sip:bob@192.0.2.7:5070',
  nodeId: BOB.id,
  certificateFingerprint: '007f'.padEnd(64, 'e'),
  expiresAt: 1_795_556_460_000,
  writtenAt: 1_795_552_860_000,
};

const OWN: Array<[OneHopOwnKind, OverlayMessage]> = [
  [
    'MemberList',
    {
      kind: 'MemberList',
      refreshRate: 60,
      alive: [
        { ...ALICE, incarnation: 1_795_551_600_000 },
        { ...BOB, incarnation: 7 },
      ],
      failed: [{ id: 'f'.repeat(40), url: 'sip:gone@192.0.2.9', incarnation: 0 }],
      left: [{ id: '1'.repeat(40), url: 'sip:left@192.0.2.8', incarnation: 12 }],
      bindings: [binding],
    },
  ],
  ['MemberList', { kind: 'MemberList', refreshRate: 1, alive: [], failed: [], left: [], bindings: [] }],
  [
    'Gossip',
    {
      kind: 'Gossip',
      digest: '0'.repeat(40),
      alive: [{ ...BOB, incarnation: 9_007_199_254_740_991 }],
      failed: [],
      left: [{ ...ALICE, incarnation: 3 }],
    },
  ],
  ['GetMembers', { kind: 'GetMembers' }],
];

const onehop = (message: OverlayMessage): P2pDocument => ({
  overlays: [{ ...IDENTITY_ONEHOP, messages: [message] }],
});

describe('the identity/onehop vocabulary on the wire', () => {
  it('its own messages are the codec’s, field for field (checked by tsc), beside chord’s reused ones', () => {
    expectTypeOf<Agreement>().toEqualTypeOf<{ [K in OneHopMessage['kind']]: true }>();
    expect([...overlayVocabulary(IDENTITY_ONEHOP.layer, IDENTITY_ONEHOP.algorithm)!].sort()).toEqual(
      [
        'Ack',
        'Bindings',
        'BootstrapForward',
        'BootstrapRegRequest',
        'Delivered',
        'SwitchLayer',
        'Failure',
        'GetBindings',
        'GetMembers',
        'Gossip',
        'Leave',
        'MemberList',
        'PutBinding',
        'Redirect',
        'StoreBindings',
      ].sort(),
    );
  });

  it.each(OWN)('%s comes back deep-equal and validates against docs/p2p.xsd', (_kind, message) => {
    const body = buildP2pXml(onehop(message));
    expect(parseP2pXml(body).overlays[0]!.messages[0]).toStrictEqual(message);
    expect(validateWithXmllint(body)).toEqual({ ok: true, output: '' });
  });

  it('a member message inside identity/chord is not read (its vocabulary lacks it)', () => {
    const body = buildP2pXml(onehop({ kind: 'GetMembers' })).replace(
      'algorithm="onehop"',
      'algorithm="chord"',
    );
    expect(parseP2pXml(body).overlays[0]!.messages).toEqual([{ kind: 'unknown', name: 'GetMembers' }]);
    expect(() =>
      buildP2pXml({
        overlays: [{ layer: 'identity', algorithm: 'chord', messages: [{ kind: 'GetMembers' }] }],
      }),
    ).toThrow(/does not belong/);
  });

  it.each([
    ['a Digest that is not 40 hex digits', (b: string) => b.replace(/<Digest>[^<]*/, '<Digest>xyz')],
    ['an Incarnation with a sign', (b: string) => b.replace(/<Incarnation>[^<]*/, '<Incarnation>-3')],
    [
      'an Alive after a Left',
      (b: string) =>
        b.replace(
          /(<Left>.*<\/Left>)/,
          '$1<Alive><NodeID>' +
            'a'.repeat(40) +
            '</NodeID><NodeURL>sip:a@b</NodeURL><Incarnation>1</Incarnation></Alive>',
        ),
    ],
    ['a member without a NodeURL', (b: string) => b.replace(/<NodeURL>[^<]*<\/NodeURL>/, '')],
  ])('parser and schema both refuse %s', (_name, mutate) => {
    const body = mutate(buildP2pXml(onehop(OWN[2]![1])));
    expect(() => parseP2pXml(body)).toThrow();
    expect(validateWithXmllint(body).ok).toBe(false);
  });
});
