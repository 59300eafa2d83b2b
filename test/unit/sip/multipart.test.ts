import { describe, expect, it } from 'vitest';
import {
  buildMultipart,
  findPart,
  multipartBoundary,
  multipartContentType,
  MultipartError,
  parseMultipart,
} from '../../../src-main/sip/multipart.ts';

const sdp =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n';
const xml = '<P2Pxml xmlns="urn:chordline:p2p"><Signature/></P2Pxml>';

describe('multipart/mixed bodies (an INVITE: SDP beside the signature)', () => {
  it('what is built parses back into the same parts, byte for byte', () => {
    const body = buildMultipart(
      [
        { contentType: 'application/sdp', body: sdp },
        { contentType: 'application/p2p+xml', body: xml },
      ],
      'chordline-abc',
    );
    const type = multipartContentType('chordline-abc');
    expect(type).toBe('multipart/mixed;boundary=chordline-abc');
    const parts = parseMultipart(type, body);
    expect(parts).toEqual([
      { contentType: 'application/sdp', body: sdp },
      { contentType: 'application/p2p+xml', body: xml },
    ]);
    expect(findPart(parts, 'application/p2p+xml')?.body).toBe(xml);
  });

  it('reads what other SIP phones write: a quoted boundary, a preamble, a part without Content-Type', () => {
    const body =
      'preamble\r\n--b 1\r\n\r\nhello\r\n--b 1\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--b 1--\r\nepilogue';
    expect(parseMultipart('Multipart/Mixed; boundary="b 1"', body)).toEqual([
      { contentType: 'text/plain', body: 'hello' },
      { contentType: 'application/sdp', body: 'v=0' },
    ]);
  });

  it('refuses what it cannot read, with the reason', () => {
    const type = 'multipart/mixed;boundary=x';
    expect(() => parseMultipart(type, '--x\r\nContent-Type: a/b\r\n\r\nno end')).toThrow(
      /no closing boundary/,
    );
    expect(() => parseMultipart(type, 'no boundary at all')).toThrow(/no boundary line/);
    expect(() => parseMultipart(type, '--x\r\nContent-Type a/b\r\n\r\nz\r\n--x--')).toThrow(
      /without a colon/,
    );
    expect(() => parseMultipart('multipart/mixed', '')).toThrow(/without a boundary/);
    const many = `${'--x\r\n\r\np\r\n'.repeat(17)}--x--`;
    expect(() => parseMultipart(type, many)).toThrow(/more than 16 parts/);
    expect(() => buildMultipart([{ contentType: 'a/b', body: 'z\r\n--x' }], 'x')).toThrow(MultipartError);
  });

  it('knows a multipart type from others', () => {
    expect(multipartBoundary('application/sdp')).toBeUndefined();
    expect(multipartBoundary('multipart/mixed; charset=x; boundary=abc')).toBe('abc');
  });
});
