import { describe, expect, it } from 'vitest';
import { addressListProblem, addressProblem } from '../../../src-main/sip/address-syntax.ts';
import { dateProblem } from '../../../src-main/sip/date-syntax.ts';
import { validateRequest, validateResponse } from '../../../src-main/sip/message-validator.ts';
import { RawMessage } from '../../../src-main/sip/raw-message.ts';
import {
  contentLengthProblem,
  maxForwardsProblem,
  parseCSeq,
  retryAfterProblem,
  warningProblem,
} from '../../../src-main/sip/scalar-fields.ts';
import { paramProblem, splitOutside } from '../../../src-main/sip/sip-syntax.ts';
import { checkRequestLine, checkStatusLine } from '../../../src-main/sip/start-line.ts';
import { viaProblem } from '../../../src-main/sip/via-syntax.ts';

/** A small valid request; `edit` rewrites its lines before they are joined. */
function request(edit: (lines: string[]) => string[] = (l) => l, body = ''): RawMessage {
  const lines = edit([
    'INVITE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc;rport',
    'Max-Forwards: 70',
    'From: "Alice" <sip:alice@example.com>;tag=1',
    'To: <sip:bob@example.com>',
    'Call-ID: abc@192.0.2.1',
    'CSeq: 1 INVITE',
    `Content-Length: ${body.length}`,
  ]);
  return RawMessage.parse([...lines, '', body].join('\r\n'));
}

const replace = (name: string, line: string | undefined) => (lines: string[]) =>
  lines.flatMap((l) =>
    l.toLowerCase().startsWith(name.toLowerCase() + ':') ? (line === undefined ? [] : [line]) : [l],
  );

describe('the Request-Line', () => {
  it('accepts Method SP Request-URI SP SIP/2.0', () => {
    expect(checkRequestLine('OPTIONS sip:a@b SIP/2.0')).toBeUndefined();
    expect(checkRequestLine('OPTIONS nobodyKnowsThisScheme:opaque SIP/2.0')).toBeUndefined();
  });

  it.each([
    ['OPTIONS sip:a@b SIP/7.0', 505],
    ['INVITE  sip:a@b  SIP/2.0', 400],
    [' INVITE sip:a@b SIP/2.0', 400],
    ['INVITE sip:a@b SIP/2.0 ', 400],
    ['INVITE sip:a@b; lr SIP/2.0', 400],
    ['INVITE <sip:a@b> SIP/2.0', 400],
    ['INVITE sip:a@b HTTP/1.1', 400],
    ['IN(VITE sip:a@b SIP/2.0', 400],
    ['INVITE SIP/2.0', 400],
  ])('refuses %j with %i', (line, status) => {
    expect(checkRequestLine(line)?.status).toBe(status);
  });
});

describe('the Status-Line', () => {
  it('accepts an empty or UTF-8 reason phrase', () => {
    expect(checkStatusLine('SIP/2.0 100 ')).toBeUndefined();
    expect(checkStatusLine('SIP/2.0 200 \xd0\xbe\xd0\xba')).toBeUndefined();
  });

  it('refuses codes outside 100-699 and codes of more than three digits', () => {
    expect(checkStatusLine('SIP/2.0 4294967301 better not break the receiver')).toMatch(/3DIGIT/);
    expect(checkStatusLine('SIP/2.0 700 Nope')).toMatch(/100-699/);
    expect(checkStatusLine('SIP/2.0 099 Nope')).toMatch(/100-699/);
  });
});

describe('Via', () => {
  it('accepts folded whitespace, unknown transports and several values', () => {
    expect(viaProblem('SIP  /   2.0 /UDP 192.0.2.2;branch=390skdjuw')).toBeUndefined();
    expect(
      viaProblem('SIP / 2.0 / TCP spindle.example.com ; branch = z9hG4bK9ikj8 , SIP/2.0/UNKNOWN t4;rport'),
    ).toBe(undefined);
    expect(viaProblem('SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;received=192.0.2.1')).toBeUndefined();
  });

  it.each([
    ['SIP/2.0/UDP 192.0.2.15;;,;,,', /empty/],
    ['SIP/2.0/UDP', /sent-by/],
    ['SIP/7.0/UDP host', /not SIP\/2.0/],
    ['SIP/2.0/UDP host:99999', /port/],
    ['SIP/2.0/UDP host;branch="open', /quoted/],
    ['SIP/2.0/UDP host junk', /unexpected text/],
  ])('refuses %j', (value, problem) => {
    expect(viaProblem(value)).toMatch(problem);
  });
});

describe('addresses in From, To, Contact, Route', () => {
  it.each([
    '"Bell, Alexander" <sip:a.g.bell@example.com>;tag=43',
    'caller<sip:caller@example.com>;tag=323',
    'sip:vivekg@example.com ;   tag    = 1918181833n',
    'sip:+1972@gw1.example.net;unknownparam',
    '<sip:user@example.com?Route=%3Csip:sip.example.com%3E>',
    `token1~\` token2'+_ <sip:mundane@example.com>;fromParam''~+*_!.-%="\xd1\x80";tag=_token~1'+\`*%!-.`,
    '"BEL:\\\x07 NUL:\\\x00" <sip:1_unusual?,/;;*@example.com>',
    'isbn:2983792873',
  ])('accepts %j', (value) => {
    expect(addressProblem(value)).toBeUndefined();
  });

  it.each([
    ['"Mr. J. User <sip:j.user@example.com>', /unterminated/],
    ['"Watson, Thomas" < sip:t.watson@example.org >', /whitespace inside <>/],
    ['Bell, Alexander <sip:a.g.bell@example.com>;tag=43', /must be quoted/],
    ['sip:user@example.com?Route=%3Csip:sip.example.com%3E', /enclosed in <>/],
    ['"Joe" <sip:joe@example.org>;;;;', /empty parameter/],
    ['<sip:joe@example.org', /no ">"/],
    ['<not a uri>', /whitespace|not a URI/],
    ['', /empty/],
  ])('refuses %j', (value, problem) => {
    expect(addressProblem(value)).toMatch(problem);
  });

  it('lets Contact be "*" alone, and Route be name-addr only', () => {
    expect(addressListProblem('*', { allowStar: true })).toBeUndefined();
    expect(addressListProblem('*, <sip:a@b>', { allowStar: true })).toMatch(/only/);
    expect(addressListProblem('<sip:a@b>, <sip:c@d;lr>', { nameAddrOnly: true })).toBeUndefined();
    expect(addressListProblem('sip:a@b', { nameAddrOnly: true })).toMatch(/<>/);
  });
});

describe('scalar header fields', () => {
  it('reads CSeq with leading zeros and folded whitespace, up to 2**32-1', () => {
    expect(parseCSeq('0009 INVITE')).toEqual({ number: 9, method: 'INVITE' });
    expect(parseCSeq('4294967295 OPTIONS')).toEqual({ number: 4294967295, method: 'OPTIONS' });
    expect(parseCSeq('4294967296 OPTIONS')).toMatch(/2\*\*32-1/);
    expect(parseCSeq('36893488147419103232 REGISTER')).toMatch(/2\*\*32-1/);
    expect(parseCSeq('-1 INVITE')).toMatch(/number method/);
    expect(parseCSeq('1')).toMatch(/number method/);
  });

  it('takes Max-Forwards 0-255, leading zeros allowed', () => {
    expect(maxForwardsProblem('0068')).toBeUndefined();
    expect(maxForwardsProblem('0')).toBeUndefined();
    expect(maxForwardsProblem('300')).toMatch(/255/);
    expect(maxForwardsProblem('7x')).toMatch(/not a number/);
  });

  it('takes a Content-Length that the datagram holds', () => {
    expect(contentLengthProblem('150', 150)).toBeUndefined();
    expect(contentLengthProblem('0', 300)).toBeUndefined();
    expect(contentLengthProblem('9999', 154)).toMatch(/larger/);
    expect(contentLengthProblem('-999', 154)).toMatch(/non-negative/);
  });

  it('refuses a Retry-After past 2**32-1 and a four-digit warn-code', () => {
    expect(retryAfterProblem('120 (lunch)')).toBeUndefined();
    expect(retryAfterProblem('949302838503028349304023988')).toMatch(/2\*\*32-1/);
    expect(warningProblem('399 example.com "x"')).toBeUndefined();
    expect(warningProblem('1812 overture "In Progress"')).toMatch(/3 digits/);
  });

  it('wants the Date in RFC 1123 form and GMT', () => {
    expect(dateProblem('Sat, 15 Oct 2005 04:44:56 GMT')).toBeUndefined();
    expect(dateProblem('Fri, 01 Jan 2010 16:00:00 EST')).toMatch(/GMT/);
    expect(dateProblem('Fri, 01 Jan 2010 16:00:00 UT')).toMatch(/GMT/);
    expect(dateProblem('Fri, 01 Jan 2010 25:00:00 GMT')).toMatch(/impossible/);
  });
});

describe('the lexical helpers', () => {
  it('splits on separators outside quotes and brackets, keeping empty elements', () => {
    expect(splitOutside('a;b="x;y";<sip:c;d>', ';')).toEqual(['a', 'b="x;y"', '<sip:c;d>']);
    expect(splitOutside(';;', ';')).toEqual(['', '', '']);
    expect(splitOutside('"open', ',')).toBeUndefined();
  });

  it('checks generic parameters', () => {
    expect(paramProblem(' ; newparam = newvalue ; secondparam ; q = 0.33')).toBeUndefined();
    expect(paramProblem(';maddr=[2001:db8::1]')).toBeUndefined();
    expect(paramProblem(';a=b c')).toMatch(/neither token/);
    expect(paramProblem('x;a')).toMatch(/unexpected/);
  });
});

describe('validateRequest', () => {
  it('lets a well-formed request through', () => {
    expect(validateRequest(request())).toBeUndefined();
  });

  it('lets an RFC 2543 request without Max-Forwards through', () => {
    expect(validateRequest(request(replace('Max-Forwards', undefined)))).toBeUndefined();
  });

  it.each([
    ['a missing From', replace('From', undefined), 400, /no From header/],
    ['a second To', (l: string[]) => [...l, 'To: <sip:eve@example.com>'], 400, /more than one To/],
    ['a CSeq for another method', replace('CSeq', 'CSeq: 1 OPTIONS'), 400, /CSeq method/],
    [
      'an unknown method whose CSeq names another',
      (l: string[]) => ['FOO sip:bob@example.com SIP/2.0', ...l.slice(1)],
      501,
      /Not Implemented/,
    ],
    ['Max-Forwards 300', replace('Max-Forwards', 'Max-Forwards: 300'), 400, /255/],
    ['a Date in EST', (l: string[]) => [...l, 'Date: Fri, 01 Jan 2010 16:00:00 EST'], 400, /GMT/],
    [
      'escaped headers in the Request-URI',
      (l: string[]) => ['INVITE sip:bob@example.com?Route=%3Csip:x%3E SIP/2.0', ...l.slice(1)],
      400,
      /Request-URI/,
    ],
    ['a header name that is no token', (l: string[]) => [...l, 'Bad Name: x'], 400, /not a token/],
    ['a Call-ID with a space', replace('Call-ID', 'Call-ID: a b'), 400, /Call-ID/],
    ['a Content-Type without subtype', (l: string[]) => [...l, 'Content-Type: sdp'], 400, /type\/subtype/],
    ['SIP/3.0', (l: string[]) => ['INVITE sip:bob@example.com SIP/3.0', ...l.slice(1)], 505, /Version/],
  ])('refuses %s', (_story, edit, status, reason) => {
    const refusal = validateRequest(request(edit));
    expect(refusal?.status).toBe(status);
    expect(refusal?.reason).toMatch(reason);
  });

  it('accepts a "?" in the user part of the Request-URI (user-unreserved)', () => {
    const raw = request((l) => ["INVITE sip:isn't+it$/crazy?,/;;*@example.com SIP/2.0", ...l.slice(1)]);
    expect(validateRequest(raw)).toBeUndefined();
  });

  it('refuses a Content-Length longer than the body', () => {
    const raw = request(replace('Content-Length', 'Content-Length: 10'), 'abc');
    expect(validateRequest(raw)?.reason).toMatch(/Content-Length 10 is larger than the 3 octets/);
  });
});

describe('validateResponse', () => {
  const response = (status: string, extra: string[] = []) =>
    RawMessage.parse(
      [
        status,
        'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKabc',
        'From: <sip:a@b>;tag=1',
        'To: <sip:c@d>;tag=2',
        'Call-ID: x@y',
        'CSeq: 1 INVITE',
        ...extra,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );

  it('accepts a plain response, with or without reason phrase', () => {
    expect(validateResponse(response('SIP/2.0 180 Ringing'))).toBeUndefined();
    expect(validateResponse(response('SIP/2.0 100 '))).toBeUndefined();
  });

  it('finds the overlarge scalars of RFC 4475 3.1.2.5', () => {
    expect(
      validateResponse(
        response('SIP/2.0 503 Service Unavailable', ['Retry-After: 949302838503028349304023988']),
      ),
    ).toMatch(/Retry-After/);
    expect(
      validateResponse(response('SIP/2.0 503 Service Unavailable', ['Warning: 1812 overture "x"'])),
    ).toMatch(/warn-code/);
  });
});
