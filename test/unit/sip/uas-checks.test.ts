import { describe, expect, it } from 'vitest';
import { RawMessage } from '../../../src-main/sip/raw-message.ts';
import { checkAsUas } from '../../../src-main/sip/uas-checks.ts';
import type { UasCapabilities } from '../../../src-main/sip/uas-checks.ts';

const PHONE: UasCapabilities = {
  supported: ['100rel', 'path'],
  accept: ['application/sdp', 'multipart/mixed'],
  answers: ['application/sdp'],
};

function invite(
  extra: string[] = [],
  body = '',
  ruri = 'sip:bob@example.com',
  method = 'INVITE',
): { raw: RawMessage } {
  const text = [
    `${method} ${ruri} SIP/2.0`,
    'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKx',
    'From: <sip:alice@example.com>;tag=1',
    'To: <sip:bob@example.com>',
    'Call-ID: c@192.0.2.1',
    `CSeq: 1 ${method}`,
    ...extra,
    `Content-Length: ${body.length}`,
    '',
    body,
  ].join('\r\n');
  return { raw: RawMessage.parse(text) };
}

describe('checkAsUas: what a user agent server refuses (RFC 3261 section 8.2)', () => {
  it('lets a plain INVITE with an SDP offer through', () => {
    expect(checkAsUas(invite(['Content-Type: application/sdp'], 'v=0\r\n'), PHONE)).toBeUndefined();
  });

  it('answers a Request-URI of another scheme with 416', () => {
    expect(checkAsUas(invite([], '', 'nobodyKnowsThisScheme:totallyopaquecontent'), PHONE)?.status).toBe(416);
    expect(checkAsUas(invite([], '', 'soap.beep://192.0.2.103:3002'), PHONE)?.status).toBe(416);
    expect(
      checkAsUas(invite([], '', 'tel:+15555550100'), { ...PHONE, schemes: ['sip', 'tel'] }),
    ).toBeUndefined();
  });

  it('answers unknown Require tags with 420 listing only those, and ignores Proxy-Require', () => {
    const refusal = checkAsUas(invite(['Require: 100rel, foo', 'Require: Bar', 'Proxy-Require: baz']), PHONE);
    expect(refusal?.status).toBe(420);
    expect(refusal?.headers).toEqual([['Unsupported', 'foo, Bar']]);
    expect(checkAsUas(invite(['Require: PATH']), PHONE)).toBeUndefined();
  });

  it('ignores Require on CANCEL and ACK', () => {
    expect(checkAsUas(invite(['Require: foo'], '', 'sip:bob@example.com', 'CANCEL'), PHONE)).toBeUndefined();
    expect(checkAsUas(invite(['Require: foo'], '', 'sip:bob@example.com', 'ACK'), PHONE)).toBeUndefined();
  });

  it('answers a body of unknown type with 415 and Accept, an unknown coding with Accept-Encoding', () => {
    const type = checkAsUas(invite(['Content-Type: application/unknownformat'], '<audio/>'), PHONE);
    expect(type?.status).toBe(415);
    expect(type?.headers).toEqual([['Accept', 'application/sdp, multipart/mixed']]);
    const coding = checkAsUas(
      invite(['Content-Type: application/sdp', 'Content-Encoding: gzip'], 'v=0'),
      PHONE,
    );
    expect(coding?.status).toBe(415);
    expect(coding?.headers?.[0][0]).toBe('Accept-Encoding');
  });

  it('judges the type of a body, not a Content-Type without one', () => {
    expect(checkAsUas(invite(['Content-Type: application/unknownformat']), PHONE)).toBeUndefined();
    expect(checkAsUas(invite([], 'v=0'), PHONE)?.reason).toMatch(/without Content-Type/);
  });

  it('answers 406 with Warning 399 when Accept excludes every type the answer could have', () => {
    const refusal = checkAsUas(invite(['Accept: text/nobodyKnowsThis']), PHONE);
    expect(refusal?.status).toBe(406);
    expect(refusal?.headers?.[0]).toEqual(['Warning', expect.stringMatching(/^399 chordline "/)]);
    expect(checkAsUas(invite(['Accept:']), PHONE)?.status).toBe(406); // empty: nothing acceptable
    expect(checkAsUas(invite(['Accept: application/sdp;q=0']), PHONE)?.status).toBe(406);
  });

  it('takes Accept wildcards and lists spread over lines', () => {
    expect(checkAsUas(invite(['Accept: */*']), PHONE)).toBeUndefined();
    expect(checkAsUas(invite(['Accept: text/plain', 'Accept: application/*']), PHONE)).toBeUndefined();
    expect(checkAsUas(invite(['Accept: Application/SDP; level=1']), PHONE)).toBeUndefined();
  });

  it('has no Accept to satisfy when its answer carries no body', () => {
    expect(checkAsUas(invite(['Accept: text/nobodyKnowsThis']), { ...PHONE, answers: [] })).toBeUndefined();
  });

  it('checks in the order of RFC 3261 section 8.2: scheme, Require, body, Accept', () => {
    const everything = invite(
      ['Require: foo', 'Content-Type: application/unknownformat', 'Accept: text/x'],
      'x',
      'im:bob@example.com',
    );
    expect(checkAsUas(everything, PHONE)?.status).toBe(416);
  });
});
