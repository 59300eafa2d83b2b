import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTortureNode } from '../../helpers/torture-node.ts';
import type { TortureNode } from '../../helpers/torture-node.ts';
import { UdpProbe } from '../../helpers/udp-probe.ts';
import { headerValue, headerValues, statusOf } from '../../helpers/wire-tap.ts';

/**
 * RFC 4475, "SIP Torture Test Messages": each of its 49 messages goes to a fresh node as one UDP
 * datagram, byte for byte (../shared/sip-torture/rfc4475 beside the repository, as the RFC
 * gives them). The node must do what the RFC says of "an element" in its place, and
 * then still answer a well-formed OPTIONS.
 *
 * The node is a user agent and registrar (test/helpers/torture-node.ts): where the RFC names a
 * behaviour by role, the UAS/registrar one is tested. A fresh node per message, because several
 * messages share a branch and sent-by (cparam01 and cparam02 would otherwise be one
 * transaction, RFC 3261 section 17.2.3); the last test sends all 49 to one node.
 *
 * Decisions where the RFC leaves a choice:
 * - 3.1.2.7-3.1.2.15 (ltgtruri, lwsruri, lwsstart, trws, escruri, baddate, regbadct, badaspec,
 *   baddn) may be accepted liberally or refused; this node refuses with 400. It is a proxy too,
 *   and must not forward them; the Date is signed (docs/ARCHITECTURE.md), so it must be exact.
 * - 3.1.2.18 mismatch02: 501, the answer the RFC prefers over 400.
 * - 3.1.1.2 intmeth and 3.1.1.5 esc02: valid requests of a method nobody defined; 501
 *   (RFC 3261 section 21.5.2) shows they parsed and reached method dispatch.
 * - 3.2.1 badbranch: processed with RFC 2543 transaction matching rather than refused.
 * - 3.3.11 zeromf: "A proxy should not forward the request and should respond 483 ... An endpoint
 *   should process the request as if the Max-Forwards field value were still positive." The
 *   OPTIONS is answered here by the node itself, an endpoint, so 200. The 483 belongs to the
 *   proxy, which checks Max-Forwards before forwarding (RFC 3261 section 16.3 step 3).
 * - 3.3.7 regaut01: the registrar takes unauthenticated registrations but checks credentials
 *   when they come; these are in a scheme it does not know, so 401 with a Digest challenge.
 * - 3.3.4 unksm2: sip.js cannot parse "To: isbn:...", so the 400 comes from the stack rather
 *   than from the registrar; 400 is what the RFC asks of a registrar either way.
 */

const FIXTURES = new URL('../../../../shared/sip-torture/rfc4475/', import.meta.url);

interface TortureCase {
  section: string;
  file: string;
  story: string;
  /** The final status the node must send, or 'silence' when it must send nothing. */
  expect: number | 'silence';
  /** The reason phrase must name the problem (for the refusals). */
  reason?: RegExp;
  /** Further checks on the final response and the node. */
  check?: (response: string, node: TortureNode, request: string) => void;
  /** A dropped response counts as malformed only when it was invalid. */
  malformed?: boolean;
}

const CASES: TortureCase[] = [
  // 3.1.1 Valid messages: parse, and process normally.
  {
    section: '3.1.1.1',
    file: 'wsinv',
    story:
      'a tortuous but valid INVITE reaches the UAS, which answers 481 because its To tag names no dialog here',
    expect: 481,
    check: (_r, node) => expect(node.handled.get('INVITE wsinv.ndaksdj@192.0.2.1')).toBe(1),
  },
  {
    section: '3.1.1.2',
    file: 'intmeth',
    story:
      'a method made of every token character parses and is answered 501, echoing its odd Call-ID and CSeq',
    expect: 501,
    check: (r) => {
      expect(headerValue(r, 'call-id')).toBe(`intmeth.word%ZK-!.*_+'@word\`~)(><:\\/"][?}{`);
      expect(headerValue(r, 'cseq')).toBe("139122385 !interesting-Method0123456789_*+`.%indeed'~");
    },
  },
  {
    section: '3.1.1.3',
    file: 'esc01',
    story: 'an INVITE with escaped characters in its URIs is accepted',
    expect: 200,
    check: (_r, node) => expect(node.handled.get('INVITE esc01.239409asdfakjkn23onasd0-3234')).toBe(1),
  },
  {
    section: '3.1.1.4',
    file: 'escnull',
    story: 'a REGISTER with escaped NULs registers both contacts without cutting the user names short',
    expect: 200,
    check: (r) => {
      expect(headerValues(r, 'contact')).toEqual([
        '<sip:%00@host5.example.com>;expires=3600',
        '<sip:%00%00@host5.example.com>;expires=3600',
      ]);
    },
  },
  {
    section: '3.1.1.5',
    file: 'esc02',
    story: 'RE%47IST%45R is an unknown method, not REGISTER: 501, and the registrar never runs',
    expect: 501,
    check: (_r, node) => expect([...node.handled.keys()].filter((k) => k.startsWith('REGISTER'))).toEqual([]),
  },
  {
    section: '3.1.1.6',
    file: 'lwsdisp',
    story: 'no space between display name and < is fine: 200',
    expect: 200,
  },
  {
    section: '3.1.1.7',
    file: 'longreq',
    story: 'an INVITE with very long values and 34 Vias is answered 200 with every Via copied back',
    expect: 200,
    check: (r, _node, request) => {
      const vias = (text: string) => text.split('\r\n\r\n')[0].match(/^(via|v)\s*:/gim)?.length;
      expect(vias(r)).toBe(vias(request));
    },
  },
  {
    section: '3.1.1.8',
    file: 'dblreq',
    story: 'the REGISTER is processed once and the INVITE trailing in the same datagram is ignored',
    expect: 200,
    check: (_r, node) => {
      expect(node.handled.get('REGISTER dblreq.0ha0isndaksdj99sdfafnl3lk233412')).toBe(1);
      expect(node.handled.get('INVITE dblreq.0ha0isnda977644900765@192.0.2.15')).toBeUndefined();
      expect(node.tap.responsesFor('dblreq.0ha0isnda977644900765@192.0.2.15')).toEqual([]);
    },
  },
  {
    section: '3.1.1.9',
    file: 'semiuri',
    story: 'a user part holding ";par=u%40example.net" parses: 200',
    expect: 200,
  },
  {
    section: '3.1.1.10',
    file: 'transports',
    story: 'Vias naming SCTP, TLS and an unknown transport are accepted and copied back',
    expect: 200,
    check: (r) => expect(headerValues(r, 'via')).toHaveLength(5),
  },
  {
    section: '3.1.1.11',
    file: 'mpart01',
    story: 'a multipart MESSAGE with a binary part holding NULs is framed right and accepted',
    expect: 200,
    check: (_r, node) =>
      expect(node.handled.get('MESSAGE 3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..')).toBe(1),
  },
  {
    section: '3.1.1.12',
    file: 'unreason',
    story: 'a 200 with a UTF-8 reason phrase parses, and as it answers nothing of ours it is dropped',
    expect: 'silence',
    malformed: false,
  },
  {
    section: '3.1.1.13',
    file: 'noreason',
    story: 'a 100 with an empty reason phrase parses, and is dropped as stray',
    expect: 'silence',
    malformed: false,
  },

  // 3.1.2 Invalid messages: a request is refused (400 unless said), a response is dropped.
  {
    section: '3.1.2.1',
    file: 'badinv01',
    story: 'stray ";" and "," in Via and Contact: 400',
    expect: 400,
    reason: /Via/,
  },
  {
    section: '3.1.2.2',
    file: 'clerr',
    story: 'a Content-Length longer than the datagram: 400',
    expect: 400,
    reason: /Content-Length/,
  },
  {
    section: '3.1.2.3',
    file: 'ncl',
    story: 'a negative Content-Length: 400',
    expect: 400,
    reason: /Content-Length/,
  },
  {
    section: '3.1.2.4',
    file: 'scalar02',
    story: 'a CSeq number past 2**32-1: 400',
    expect: 400,
    reason: /CSeq/,
  },
  {
    section: '3.1.2.5',
    file: 'scalarlg',
    story: 'a 503 with overlarge CSeq, Retry-After and warn-code is discarded',
    expect: 'silence',
    malformed: true,
  },
  {
    section: '3.1.2.6',
    file: 'quotbal',
    story: 'an unterminated quote in the To display name: 400',
    expect: 400,
    reason: /quoted string/,
  },
  {
    section: '3.1.2.7',
    file: 'ltgtruri',
    story: 'a Request-URI inside <>: 400',
    expect: 400,
    reason: /Request-URI/,
  },
  {
    section: '3.1.2.8',
    file: 'lwsruri',
    story: 'whitespace inside the Request-URI: 400',
    expect: 400,
    reason: /Request-URI/,
  },
  {
    section: '3.1.2.9',
    file: 'lwsstart',
    story: 'several SP between Request-Line elements: 400',
    expect: 400,
    reason: /SP/,
  },
  {
    section: '3.1.2.10',
    file: 'trws',
    story: 'SP after the SIP version: 400',
    expect: 400,
    reason: /end of the Request-Line/,
  },
  {
    section: '3.1.2.11',
    file: 'escruri',
    story: 'escaped headers in the Request-URI: 400, so a proxy never turns them into a Route',
    expect: 400,
    reason: /headers in the Request-URI/,
  },
  {
    section: '3.1.2.12',
    file: 'baddate',
    story: 'a Date in EST instead of GMT: 400, since the Date is signed here',
    expect: 400,
    reason: /Date/,
  },
  {
    section: '3.1.2.13',
    file: 'regbadct',
    story: 'a Contact URI with escaped headers outside <>: 400',
    expect: 400,
    reason: /Contact/,
  },
  {
    section: '3.1.2.14',
    file: 'badaspec',
    story: 'spaces inside <> around the To URI: 400',
    expect: 400,
    reason: /To: whitespace/,
  },
  {
    section: '3.1.2.15',
    file: 'baddn',
    story: 'unquoted display names with a comma (and no blank line after the headers): 400',
    expect: 400,
    reason: /display name/,
  },
  {
    section: '3.1.2.16',
    file: 'badvers',
    story: 'SIP/7.0: 505 Version Not Supported',
    expect: 505,
  },
  {
    section: '3.1.2.17',
    file: 'mismatch01',
    story: 'OPTIONS on the Request-Line, INVITE in CSeq: 400',
    expect: 400,
    reason: /CSeq method/,
  },
  {
    section: '3.1.2.18',
    file: 'mismatch02',
    story: 'an unknown method with another method in CSeq: 501, as the RFC prefers',
    expect: 501,
  },
  {
    section: '3.1.2.19',
    file: 'bigcode',
    story: 'a response with status code 4294967301 is discarded',
    expect: 'silence',
    malformed: true,
  },

  // 3.2 Transaction layer.
  {
    section: '3.2.1',
    file: 'badbranch',
    story: 'a branch that is only the magic cookie falls back to RFC 2543 matching and is answered 200',
    expect: 200,
  },

  // 3.3 Application layer: the UAS and registrar answers.
  {
    section: '3.3.1',
    file: 'insuf',
    story: 'an INVITE without Call-ID, From and To: 400',
    expect: 400,
    reason: /From|To|Call-ID/,
  },
  {
    section: '3.3.2',
    file: 'unkscm',
    story: 'a Request-URI of an unknown scheme: 416, not routed by the To header',
    expect: 416,
  },
  {
    section: '3.3.3',
    file: 'novelsc',
    story: 'a Request-URI of a registered but unserved scheme: 416',
    expect: 416,
  },
  {
    section: '3.3.4',
    file: 'unksm2',
    story: 'a REGISTER whose To is an isbn: URI is refused with 400',
    expect: 400,
  },
  {
    section: '3.3.5',
    file: 'bext01',
    story:
      'Require names extensions nobody supports: 420 listing them in Unsupported (Proxy-Require is for proxies)',
    expect: 420,
    check: (r) =>
      expect(headerValue(r, 'unsupported')).toBe('nothingSupportsThis, nothingSupportsThisEither'),
  },
  {
    section: '3.3.6',
    file: 'invut',
    story: 'an INVITE with a body of unknown type: 415 with Accept listing what the UAS understands',
    expect: 415,
    check: (r) => expect(headerValue(r, 'accept')).toContain('application/sdp'),
  },
  {
    section: '3.3.7',
    file: 'regaut01',
    story: 'credentials in an unknown authorization scheme: 401 with a fresh Digest challenge',
    expect: 401,
    check: (r) =>
      expect(headerValue(r, 'www-authenticate')).toMatch(/^Digest realm="torture.example", nonce="/),
  },
  {
    section: '3.3.8',
    file: 'multi01',
    story: 'two Call-IDs, CSeqs, Froms, Tos and Max-Forwards: 400',
    expect: 400,
    reason: /more than one/,
  },
  {
    section: '3.3.9',
    file: 'mcl01',
    story: 'two conflicting Content-Lengths: 400',
    expect: 400,
    reason: /Content-Length/,
  },
  {
    section: '3.3.10',
    file: 'bcast',
    story: 'a 200 whose second Via is the broadcast address parses and is dropped, never forwarded',
    expect: 'silence',
    malformed: false,
  },
  {
    section: '3.3.11',
    file: 'zeromf',
    story: 'Max-Forwards 0 at an endpoint: processed as usual, 200 (the 483 is a proxy answer)',
    expect: 200,
  },
  {
    section: '3.3.12',
    file: 'cparam01',
    story: 'a Contact parameter outside <> is a contact-param: registered without it as a URI parameter',
    expect: 200,
    check: (r) => expect(headerValue(r, 'contact')).toBe('<sip:+19725552222@gw1.example.net>;expires=3600'),
  },
  {
    section: '3.3.13',
    file: 'cparam02',
    story: 'a parameter inside <> is a URI parameter: the binding keeps it',
    expect: 200,
    check: (r) =>
      expect(headerValue(r, 'contact')).toBe('<sip:+19725552222@gw1.example.net;unknownparam>;expires=3600'),
  },
  {
    section: '3.3.14',
    file: 'regescrt',
    story: 'a Contact URI with an escaped Route header registers, the header kept in the binding',
    expect: 200,
    check: (r) =>
      expect(headerValue(r, 'contact')).toBe(
        '<sip:user@example.com?Route=%3Csip:sip.example.com%3E>;expires=3600',
      ),
  },
  {
    section: '3.3.15',
    file: 'sdp01',
    story: 'Accept allows only text/nobodyKnowsThis, the answer would be SDP: 406 with Warning 399',
    expect: 406,
    check: (r) => expect(headerValue(r, 'warning')).toMatch(/^399 /),
  },

  // 3.4 Backward compatibility.
  {
    section: '3.4.1',
    file: 'inv2543',
    story: 'an RFC 2543 INVITE (no branch, no From tag, no Content-Length, no Max-Forwards) is accepted',
    expect: 200,
  },
];

function fixture(file: string): Buffer {
  return readFileSync(new URL(`${file}.dat`, FIXTURES));
}

let probe: UdpProbe;
let liveness = 0;

/** A well-formed OPTIONS with rport, so that its answer comes back to the probe itself. */
function livenessOptions(): { text: string; callId: string } {
  liveness++;
  const callId = `liveness-${liveness}@probe.test`;
  const text = [
    `OPTIONS sip:node@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${probe.port};branch=z9hG4bKlive${liveness};rport`,
    `Max-Forwards: 70`,
    `From: <sip:probe@probe.test>;tag=live${liveness}`,
    `To: <sip:node@127.0.0.1>`,
    `Call-ID: ${callId}`,
    `CSeq: 1 OPTIONS`,
    `Content-Length: 0`,
    ``,
    ``,
  ].join('\r\n');
  return { text, callId };
}

/** The node answers a well-formed OPTIONS with 200; returns that answer. */
async function stillAnswersOptions(node: TortureNode): Promise<void> {
  const { text, callId } = livenessOptions();
  await probe.send(text, node.stack.endpoint.port);
  const answer = await probe.next((t) => headerValue(t, 'call-id') === callId);
  expect(statusOf(answer)).toBe(200);
}

const isLiveness = (text: string) => headerValue(text, 'call-id')?.startsWith('liveness-') === true;

describe('RFC 4475 torture messages, each as one UDP datagram to a node', () => {
  let node: TortureNode | undefined;
  let errors: unknown[] = [];

  beforeAll(async () => {
    probe = await UdpProbe.open();
  });
  afterAll(() => probe.close());
  afterEach(() => {
    node?.close();
    node = undefined;
    errors = [];
  });

  it('has the 49 messages of the RFC, one case each', () => {
    expect(new Set(CASES.map((c) => c.file)).size).toBe(49);
  });

  it.each(CASES)('$section $file: $story', async (c) => {
    const n = await startTortureNode({ onError: (e) => errors.push(e) });
    node = n;
    const request = fixture(c.file);
    await probe.send(request, n.stack.endpoint.port);

    let response: string | undefined;
    if (c.expect !== 'silence') {
      response = await n.tap.until(
        () => n.tap.sent.find((t) => t.startsWith('SIP/2.0 ') && statusOf(t) >= 200 && !isLiveness(t)),
        3000,
        `the answer to ${c.file}`,
      );
      expect(statusOf(response)).toBe(c.expect);
      if (c.reason) expect(response.split('\r\n')[0]).toMatch(c.reason);
    }

    // The node answers a well-formed OPTIONS after every message. Datagrams are handled in
    // order, so once that answer is back the torture message has been dealt with in full.
    await stillAnswersOptions(n);
    expect(n.tap.receivedCount).toBe(2);
    const answers = n.tap.sent.filter((t) => t.startsWith('SIP/2.0 ') && !isLiveness(t));
    if (c.expect === 'silence') {
      expect(answers).toEqual([]);
      expect(n.stack.stats.malformed).toBe(c.malformed ? 1 : 0);
    } else {
      // One final answer, after at most a 100 Trying.
      expect(answers.filter((t) => statusOf(t) >= 200)).toHaveLength(1);
      c.check?.(response ?? '', n, request.toString('latin1'));
    }
    expect(errors).toEqual([]);
  });

  it('one node takes all 49 in a row and still answers OPTIONS, with no error raised', async () => {
    const n = await startTortureNode({ onError: (e) => errors.push(e) });
    node = n;
    for (const c of CASES) await probe.send(fixture(c.file), n.stack.endpoint.port);
    await stillAnswersOptions(n);
    expect(n.tap.receivedCount).toBe(CASES.length + 1);
    expect(errors).toEqual([]);
  });
});
