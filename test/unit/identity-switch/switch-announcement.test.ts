import { beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority } from '../../../src-main/keystore/index.ts';
import type { CertificateAuthority } from '../../../src-main/keystore/index.ts';
import { checkAnnouncement } from '../../../src-main/app/identity/check-announcement.ts';
import type { AnnouncementContext } from '../../../src-main/app/identity/check-announcement.ts';
import { caPublicKey, issueSwitchAnnouncement } from '../../../src-main/app/identity/switch-authority.ts';
import { buildP2pXml, parseP2pXml } from '../../../src-main/overlay/xml/index.ts';
import type { SwitchLayer } from '../../../src-main/overlay/xml/index.ts';

const SEED = { id: 'a'.repeat(40), url: 'sip:127.0.0.1:5070' };

/**
 * Only the operator can switch a layer: a peer acts on a SwitchLayer only when this network's CA
 * signed exactly its fields, it is fresh, and its epoch is newer than any it acted on.
 */
describe('a SwitchLayer announcement', () => {
  let ca: CertificateAuthority;
  let other: CertificateAuthority;
  let context: AnnouncementContext;
  let signed: SwitchLayer;

  beforeAll(async () => {
    [ca, other] = await Promise.all([
      createCertificateAuthority({ domain: 'atlanta.com' }),
      createCertificateAuthority({ domain: 'atlanta.com' }),
    ]);
    context = {
      layer: 'identity',
      epoch: 0,
      algorithms: ['chord', 'onehop'],
      switching: undefined,
      caKey: caPublicKey(ca.certPem),
      now: Date.now(),
    };
    signed = issueSwitchAnnouncement(
      { layer: 'identity', algorithm: 'onehop', epoch: 1, seed: SEED },
      ca.keyPem,
    );
  });

  it('signed by the CA, fresh and newer, is accepted', () => {
    expect(checkAnnouncement(signed, context)).toEqual({ ok: true });
  });

  it('travels as p2p+xml and comes back with the same fields, still verifying', () => {
    const body = buildP2pXml({ overlays: [{ layer: 'identity', algorithm: 'chord', messages: [signed] }] });
    expect(body).toContain(
      '<SwitchLayer><Layer>identity</Layer><Algorithm>onehop</Algorithm><Epoch>1</Epoch>',
    );
    const back = parseP2pXml(body).overlays[0].messages[0];
    expect(back).toEqual(signed);
    expect(checkAnnouncement(back as SwitchLayer, context)).toEqual({ ok: true });
  });

  it('without a signature is refused with 403 and a reason a person can read', () => {
    expect(checkAnnouncement({ ...signed, authority: '' }, context)).toEqual({
      ok: false,
      status: 403,
      reason: "Forbidden: the switch announcement is not signed by this network's CA",
    });
  });

  it('signed by another CA, or with a field changed after signing, is refused with 403', () => {
    const forged = issueSwitchAnnouncement(
      { layer: 'identity', algorithm: 'onehop', epoch: 1, seed: SEED },
      other.keyPem,
    );
    expect(checkAnnouncement(forged, context)).toMatchObject({ ok: false, status: 403 });
    expect(checkAnnouncement({ ...signed, epoch: 7 }, context)).toMatchObject({ ok: false, status: 403 });
    expect(checkAnnouncement({ ...signed, algorithm: 'chord' }, context)).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it('arriving twice (the flood) or replayed later is refused with 409 the second time', () => {
    expect(checkAnnouncement(signed, { ...context, epoch: 1 })).toEqual({
      ok: false,
      status: 409,
      reason: 'Conflict: switch epoch 1 is not newer than epoch 1, already done here',
    });
  });

  it('issued long ago is refused as stale, even with a new epoch', () => {
    const old = issueSwitchAnnouncement(
      { layer: 'identity', algorithm: 'onehop', epoch: 5, seed: SEED, issuedAt: '2020-01-01T00:00:00Z' },
      ca.keyPem,
    );
    expect(checkAnnouncement(old, context)).toMatchObject({ ok: false, status: 403 });
  });

  it('for an algorithm this peer cannot run, or during another switch, is refused', () => {
    const unknown = issueSwitchAnnouncement(
      { layer: 'identity', algorithm: 'kademlia', epoch: 1, seed: SEED },
      ca.keyPem,
    );
    expect(checkAnnouncement(unknown, context)).toMatchObject({ ok: false, status: 501 });
    expect(
      checkAnnouncement(signed, { ...context, switching: { algorithm: 'chord', epoch: 0 } }),
    ).toMatchObject({ ok: false, status: 409 });
  });
});
