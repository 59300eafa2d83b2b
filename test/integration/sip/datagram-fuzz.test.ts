import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { mutate, seededRandom } from '../../helpers/datagram-mutator.ts';
import { startTortureNode } from '../../helpers/torture-node.ts';
import type { TortureNode } from '../../helpers/torture-node.ts';
import { UdpProbe } from '../../helpers/udp-probe.ts';
import { headerValue, statusOf } from '../../helpers/wire-tap.ts';

/**
 * "No datagram can crash a node": 2,000 seeded mutations of valid messages (byte flips,
 * truncations, duplicated and deleted lines, huge headers, outlandish numbers) go over UDP to
 * one node. Refusals and drops are fine; an exception reaching the stack's last-resort `onError`
 * is not, because it means some code path met input it did not expect. A failure prints the
 * seed and index: `mutate(seeds, seededRandom(SEED))` called that many times gives the datagram.
 */

const SEED = 4475;
const DATAGRAMS = 2000;
/** Datagrams and octets in flight before the sender waits for the node (loopback buffers are ~200 kB). */
const BATCH = 25;
const BATCH_OCTETS = 100_000;

const FIXTURES = new URL('../../../../shared/sip-torture/rfc4475/', import.meta.url);
const VALID_TORTURE = [
  'wsinv',
  'intmeth',
  'esc01',
  'escnull',
  'esc02',
  'lwsdisp',
  'longreq',
  'dblreq',
  'semiuri',
  'transports',
  'mpart01',
  'unreason',
  'noreason',
  'badbranch',
  'inv2543',
  'cparam01',
  'cparam02',
  'regescrt',
  'zeromf',
];

function handWritten(probePort: number): string[] {
  const common = (method: string, n: number) => [
    `Via: SIP/2.0/UDP 127.0.0.1:${probePort};branch=z9hG4bKfuzz${n};rport`,
    `Max-Forwards: 70`,
    `From: "Alice" <sip:alice@example.com>;tag=a${n}`,
    `To: <sip:bob@example.com>`,
    `Call-ID: fuzz-${n}@example.com`,
    `CSeq: ${n} ${method}`,
    `Contact: <sip:alice@127.0.0.1:${probePort}>;expires=60`,
  ];
  const sdp =
    'v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
  const message = (line: string, headers: string[], body = '', type = 'application/sdp') =>
    [
      line,
      ...headers,
      ...(body ? [`Content-Type: ${type}`] : []),
      `Content-Length: ${body.length}`,
      '',
      body,
    ].join('\r\n');
  return [
    message('OPTIONS sip:bob@127.0.0.1 SIP/2.0', common('OPTIONS', 1)),
    message('INVITE sip:bob@127.0.0.1 SIP/2.0', common('INVITE', 2), sdp),
    message('REGISTER sip:127.0.0.1 SIP/2.0', [...common('REGISTER', 3), 'Expires: 120', 'Require: path']),
    message('MESSAGE sip:bob@127.0.0.1 SIP/2.0', common('MESSAGE', 4), 'hello', 'text/plain'),
    message('CANCEL sip:bob@127.0.0.1 SIP/2.0', common('CANCEL', 2)),
    message('ACK sip:bob@127.0.0.1 SIP/2.0', common('ACK', 2)),
    message('BYE sip:bob@127.0.0.1 SIP/2.0', common('BYE', 5)),
    message('SIP/2.0 180 Ringing', common('INVITE', 6)),
    message('SIP/2.0 200 OK', common('INVITE', 7), sdp),
  ];
}

/** Errors a socket raises (a send to a port nobody may use) are the network's, not a parser's. */
function isSocketError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

describe('random mutations of valid messages, over UDP', () => {
  let node: TortureNode | undefined;
  let probe: UdpProbe | undefined;
  afterEach(() => {
    node?.close();
    probe?.close();
  });

  it(`${DATAGRAMS} mutated datagrams (seed ${SEED}) raise no exception, and the node still answers OPTIONS`, async () => {
    probe = await UdpProbe.open();
    const exceptions: Array<{ index: number; error: unknown }> = [];
    let socketErrors = 0;
    const n = await startTortureNode({
      onError: (error) => {
        if (isSocketError(error)) socketErrors++;
        else exceptions.push({ index: n.tap.receivedCount - 1, error });
      },
    });
    node = n;
    const seeds = [
      ...VALID_TORTURE.map((f) => readFileSync(new URL(`${f}.dat`, FIXTURES)).toString('latin1')),
      ...handWritten(probe.port),
    ];
    const random = seededRandom(SEED);
    const sent: Array<{ text: string; applied: string[] }> = [];
    let inFlight = 0;

    for (let i = 0; i < DATAGRAMS; i++) {
      const datagram = mutate(seeds, random);
      sent.push(datagram);
      await probe.send(datagram.text, n.stack.endpoint.port);
      inFlight += datagram.text.length;
      // Pace the sender so that loopback buffers never overflow: wait until the node has
      // taken every datagram of the batch.
      if (sent.length % BATCH === 0 || inFlight > BATCH_OCTETS || i === DATAGRAMS - 1) {
        await n.tap.until(
          () => (n.tap.receivedCount >= sent.length ? true : undefined),
          10_000,
          'every datagram',
        );
        inFlight = 0;
      }
      probe.drain();
    }

    const livenessCallId = 'after-fuzz@probe.test';
    await probe.send(
      [
        `OPTIONS sip:node@127.0.0.1 SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${probe.port};branch=z9hG4bKafterfuzz;rport`,
        `Max-Forwards: 70`,
        `From: <sip:probe@probe.test>;tag=after`,
        `To: <sip:node@127.0.0.1>`,
        `Call-ID: ${livenessCallId}`,
        `CSeq: 1 OPTIONS`,
        `Content-Length: 0`,
        ``,
        ``,
      ].join('\r\n'),
      n.stack.endpoint.port,
    );
    const answer = await probe.next((t) => headerValue(t, 'call-id') === livenessCallId);
    expect(statusOf(answer)).toBe(200);

    const described = exceptions.slice(0, 5).map(({ index, error }) => ({
      seed: SEED,
      index,
      mutations: sent[index]?.applied,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      datagram: Buffer.from(sent[index]?.text.slice(0, 2000) ?? '', 'latin1').toString('base64'),
    }));
    expect(described).toEqual([]);
    // The mutations did reach both sides of the validator.
    expect(n.stack.stats.malformed).toBeGreaterThan(DATAGRAMS / 10);
    expect(n.handled.size).toBeGreaterThan(0);
    expect(socketErrors).toBeLessThan(DATAGRAMS);
  });
});
