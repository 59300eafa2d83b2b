import { describe, expect, it } from 'vitest';

import {
  certificateNamesOf,
  comparableAor,
  parseSubjectAltNames,
} from '../../../../src-main/trust/signing/index.ts';

const nodeId = '0123456789abcdef0123456789abcdef01234567';

describe("reading a certificate's names from node:crypto's subjectAltName text", () => {
  it('splits plain entries', () => {
    expect(parseSubjectAltNames(`URI:sip:alice@example.com, URI:urn:chordline:node:${nodeId}`)).toEqual([
      { type: 'URI', value: 'sip:alice@example.com' },
      { type: 'URI', value: `urn:chordline:node:${nodeId}` },
    ]);
  });

  it('decodes the JSON quoting Node uses for a value with a separator in it, so a comma cannot add a name', () => {
    const text = `URI:"sip:mallory@example.com\\u002c URI:sip:alice@example.com", URI:urn:chordline:node:${nodeId}`;
    expect(parseSubjectAltNames(text)).toEqual([
      { type: 'URI', value: 'sip:mallory@example.com, URI:sip:alice@example.com' },
      { type: 'URI', value: `urn:chordline:node:${nodeId}` },
    ]);
    expect(certificateNamesOf(text)).toBeUndefined();
  });

  it('finds exactly one AOR and one NodeID, in either order, with the domain in lower case', () => {
    expect(certificateNamesOf(`URI:urn:chordline:node:${nodeId}, URI:sip:alice@Example.COM`)).toEqual({
      aor: 'sip:alice@example.com',
      nodeId,
    });
    expect(certificateNamesOf(`URI:sip:a@example.com, URI:sip:b@example.com`)).toBeUndefined();
    expect(
      certificateNamesOf(`URI:sip:a@example.com, URI:urn:chordline:node:${nodeId.toUpperCase()}`),
    ).toBeUndefined();
    expect(certificateNamesOf(undefined)).toBeUndefined();
    expect(parseSubjectAltNames('URI:"unterminated')).toBeUndefined();
  });

  it('compares From URIs as AORs: no brackets, parameters or headers; host case-insensitive, user not', () => {
    expect(comparableAor('<sip:alice@EXAMPLE.com;transport=udp>')).toBe('sip:alice@example.com');
    expect(comparableAor('sip:alice@example.com?subject=hi')).toBe('sip:alice@example.com');
    expect(comparableAor('sip:Alice@example.com')).not.toBe(comparableAor('sip:alice@example.com'));
    expect(comparableAor('sip:alice@example.com:5060')).toBeUndefined();
    expect(comparableAor('tel:+15551234')).toBeUndefined();
  });
});
