import { describe, expect, it } from 'vitest';
import {
  buildP2pXml,
  IDENTITY_CHORD,
  parseP2pXml,
  PRESENCE_CHORD,
} from '../../../../src-main/overlay/xml/index.ts';
import type { KnownMessage } from '../../../../src-main/overlay/xml/index.ts';
import { validateWithXmllint } from './xmllint.ts';

const AOR = 'sip:alice@atlanta.com';
const presence = (message: KnownMessage) => ({ overlays: [{ ...PRESENCE_CHORD, messages: [message] }] });

const SAMPLES: KnownMessage[] = [
  { kind: 'PublishPresence', aor: AOR, status: 'online', expires: 120 },
  { kind: 'PublishPresence', aor: AOR, status: 'online', note: 'In a meeting until 3', expires: 120 },
  { kind: 'PublishPresence', aor: AOR, status: 'offline', expires: 0 },
  { kind: 'SubscribePresence', aor: AOR, expires: 120 },
  { kind: 'SubscribePresence', aor: AOR, expires: 0 },
  { kind: 'PresenceNotify', aor: AOR, status: 'unknown', sequence: 1 },
  { kind: 'PresenceNotify', aor: AOR, status: 'online', note: 'back soon', sequence: 1764040000001 },
];

describe('the presence layer’s messages in application/p2p+xml', () => {
  it.each(SAMPLES.map((m) => [m.kind, m] as const))(
    '%s survives build and parse, and the schema takes it',
    (_, m) => {
      const body = buildP2pXml(presence(m));
      expect(parseP2pXml(body)).toStrictEqual(presence(m));
      expect(validateWithXmllint(body)).toEqual({ ok: true, output: '' });
    },
  );

  it('refuses what a peer would refuse: a device publishing unknown, a bad AOR, a day-long-plus lifetime', () => {
    const publish = buildP2pXml(presence(SAMPLES[0]!));
    for (const bad of [
      publish.replace('<Status>online', '<Status>unknown'),
      publish.replace(`<AOR>${AOR}`, '<AOR>alice'),
      publish.replace('<Expires>120', '<Expires>86401'),
      publish.replace('<Expires>120', '<Expires>-1'),
      publish.replace('<Status>online</Status>', ''),
    ]) {
      expect(() => parseP2pXml(bad)).toThrow();
      expect(validateWithXmllint(bad).ok).toBe(false);
    }
    expect(() =>
      buildP2pXml(
        presence({ kind: 'PublishPresence', aor: AOR, status: 'online', note: 'two\nlines', expires: 1 }),
      ),
    ).toThrow(/Note/);
  });

  it('is read only in the presence overlay: in the identity ring it is an unknown element', () => {
    const body = buildP2pXml(presence(SAMPLES[3]!)).replace(
      'layer="presence" algorithm="chord"',
      `layer="${IDENTITY_CHORD.layer}" algorithm="${IDENTITY_CHORD.algorithm}"`,
    );
    expect(parseP2pXml(body).overlays[0]!.messages).toEqual([{ kind: 'unknown', name: 'SubscribePresence' }]);
  });
});
