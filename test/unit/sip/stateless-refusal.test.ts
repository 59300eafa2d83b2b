import { describe, expect, it } from 'vitest';
import { describeComplaint, salvageRequest } from '../../../src-main/sip/datagram-salvage.ts';
import { RawMessage } from '../../../src-main/sip/raw-message.ts';
import { badRequest } from '../../../src-main/sip/refusal.ts';
import { statelessRefusal } from '../../../src-main/sip/stateless-refusal.ts';

const source = { address: '198.51.100.7', port: 40000 };

function raw(lines: string[]): RawMessage {
  return RawMessage.parse([...lines, 'Content-Length: 0', '', ''].join('\r\n'));
}

const HEAD = ['From: <sip:a@b>;tag=1', 'To: <sip:c@d>', 'Call-ID: x@y', 'CSeq: 1 INVITE'];

describe('statelessRefusal: answering a request this node will not process', () => {
  it('sends to the source address and the sent-by port, stamping received', () => {
    const answer = statelessRefusal(
      raw(['INVITE sip:c@d SIP/2.0', 'Via: SIP/2.0/UDP host.example.com:5070;branch=z9hG4bK1', ...HEAD]),
      badRequest('testing'),
      source,
    );
    expect(answer?.destination).toEqual({ address: '198.51.100.7', port: 5070 });
    expect(answer?.text).toMatch(/^SIP\/2\.0 400 Bad Request: testing\r\n/);
    expect(answer?.text).toContain(
      'Via: SIP/2.0/UDP host.example.com:5070;branch=z9hG4bK1;received=198.51.100.7\r\n',
    );
    expect(answer?.text).toMatch(/\r\nTo: <sip:c@d>;tag=[0-9a-f]+\r\n/);
  });

  it('honours rport (RFC 3581) and replaces a received the sender made up', () => {
    const answer = statelessRefusal(
      raw([
        'INVITE sip:c@d SIP/2.0',
        'Via: SIP/2.0/UDP 10.0.0.1;received=6.6.6.6;rport;branch=z9hG4bK1',
        ...HEAD,
      ]),
      badRequest('x'),
      source,
    );
    expect(answer?.destination).toEqual(source);
    expect(answer?.text).toContain(
      'Via: SIP/2.0/UDP 10.0.0.1;rport=40000;branch=z9hG4bK1;received=198.51.100.7\r\n',
    );
  });

  it('answers even when the Via is malformed or of another version, keeping the rest as it came', () => {
    const broken = statelessRefusal(
      raw(['INVITE sip:c@d SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.15;;,;,,', ...HEAD]),
      badRequest('x'),
      source,
    );
    expect(broken?.destination).toEqual({ address: '198.51.100.7', port: 5060 });
    expect(broken?.text).toContain('Via: SIP/2.0/UDP 192.0.2.15;;;received=198.51.100.7,;,,\r\n');
    const seven = statelessRefusal(
      raw(['OPTIONS sip:c@d SIP/7.0', 'Via: SIP/7.0/UDP c.example.com;branch=z9hG4bKk', ...HEAD]),
      { status: 505, reason: 'Version Not Supported' },
      source,
    );
    expect(seven?.text).toMatch(/^SIP\/2\.0 505 /);
  });

  it('never answers an ACK, nor a request without a usable Via', () => {
    expect(
      statelessRefusal(
        raw(['ACK sip:c@d SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', ...HEAD]),
        badRequest('x'),
        source,
      ),
    ).toBe(undefined);
    expect(
      statelessRefusal(raw(['INVITE sip:c@d SIP/2.0', ...HEAD]), badRequest('x'), source),
    ).toBeUndefined();
    expect(
      statelessRefusal(raw(['INVITE sip:c@d SIP/2.0', 'Via: garbage', ...HEAD]), badRequest('x'), source),
    ).toBe(undefined);
    expect(
      statelessRefusal(
        raw(['INVITE sip:c@d SIP/2.0', 'Via: SIP/2.0/UDP h:0', ...HEAD]),
        badRequest('x'),
        source,
      ),
    ).toBe(undefined);
  });
});

describe('salvageRequest: splitting what sip.js could not parse', () => {
  it('ends the headers at the end of the datagram when the blank line is missing', () => {
    const salvaged = salvageRequest('OPTIONS sip:a SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nl: 0\r\n');
    expect(salvaged?.problem).toMatch(/no blank line/);
    expect(salvaged?.raw.values('via')).toEqual(['SIP/2.0/UDP h']);
  });

  it('skips lines without a colon and unfolds continuations', () => {
    const salvaged = salvageRequest('OPTIONS sip:a SIP/2.0\r\nnonsense\r\nTo: a\r\n  b\r\n\r\nbody');
    expect(salvaged?.problem).toMatch(/without a colon/);
    expect(salvaged?.raw.first('to')).toBe('a b');
    expect(salvaged?.raw.body).toBe('body');
  });

  it('leaves responses and empty start lines alone', () => {
    expect(salvageRequest('SIP/2.0 4294967301 x\r\n\r\n')).toBeUndefined();
    expect(salvageRequest(' SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\nCall-ID: x\r\n\r\n')).toBeUndefined();
    expect(salvageRequest('\r\nVia: x\r\n\r\n')).toBeUndefined();
  });

  it("turns sip.js's complaint into a reason a person reads", () => {
    expect(describeComplaint("error parsing header 'To'")).toBe('cannot parse the To header');
    expect(describeComplaint(undefined)).toBe('malformed message');
  });
});
