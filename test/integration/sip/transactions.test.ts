import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SipStack,
  configureTimers,
  RFC3261_TIMERS,
  RequestTimeoutError,
} from '../../../src-main/sip/index.ts';
import { UdpProbe } from '../../helpers/udp-probe.ts';

function options(branch: string, port: number, callId = 'call-1'): string {
  return [
    `OPTIONS sip:node@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=${branch};rport`,
    `Max-Forwards: 70`,
    `From: <sip:probe@example.com>;tag=abc`,
    `To: <sip:node@example.com>`,
    `Call-ID: ${callId}`,
    `CSeq: 1 OPTIONS`,
    `Content-Length: 0`,
    ``,
    ``,
  ].join('\r\n');
}

describe('the SIP transaction layer over real UDP', () => {
  let stacks: SipStack[] = [];
  let probe: UdpProbe;

  beforeEach(async () => {
    probe = await UdpProbe.open();
  });
  afterEach(() => {
    for (const s of stacks) s.close();
    stacks = [];
    probe.close();
    configureTimers(RFC3261_TIMERS);
  });

  async function node(): Promise<SipStack> {
    const stack = await SipStack.listen({ host: '127.0.0.1', port: 0 });
    stacks.push(stack);
    return stack;
  }

  it('answers OPTIONS from any SIP element, as a liveness probe', async () => {
    const bob = await node();
    await probe.send(options('z9hG4bKprobe1', probe.port), bob.endpoint.port);
    const answer = await probe.next();
    expect(answer).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(answer).toMatch(/Allow: .*OPTIONS/);
    expect(answer).toContain(`rport=${probe.port}`);
    expect(answer).toContain('received=127.0.0.1');
  });

  it('one node asks another with OPTIONS and gets 200 back', async () => {
    const alice = await node();
    const bob = await node();
    const response = await alice.request({
      method: 'OPTIONS',
      uri: bob.uri,
      from: 'sip:alice@example.com',
      to: 'sip:bob@example.com',
    });
    expect(response.status).toBe(200);
    expect(response.header('allow')).toContain('OPTIONS');
  });

  it('a retransmitted request is answered from the transaction and processed once', async () => {
    const bob = await node();
    let processed = 0;
    bob.handle('MESSAGE', (request) => {
      processed++;
      request.respond(202, { reason: 'Accepted once' });
    });
    const message = options('z9hG4bKretrans1', probe.port).replace(/OPTIONS/g, 'MESSAGE');
    await probe.send(message, bob.endpoint.port);
    const first = await probe.next();
    await probe.send(message, bob.endpoint.port);
    const second = await probe.next();
    expect(processed).toBe(1);
    expect(second).toBe(first);
    expect(bob.stats.retransmissionsAbsorbed).toBe(1);
  });

  it('a request to a silent peer is retransmitted on the Timer E schedule, then times out (Timer F)', async () => {
    configureTimers({ t1: 20, t2: 160, t4: 200 }); // RFC 3261 ratios, scaled down 25x
    const alice = await node();
    const sent = Date.now();
    const failure = await alice
      .request({
        method: 'OPTIONS',
        uri: `sip:silent@127.0.0.1:${probe.port}`,
        from: 'sip:alice@example.com',
        to: 'sip:silent@example.com',
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RequestTimeoutError);
    const arrivals = probe.drain().map((m) => m.at - sent);
    // Timer F = 64*T1 = 1280 ms. Timer E fires at T1, 2T1, 4T1, then every T2 (=8T1):
    // sends at 0, 20, 60, 140, 300, 460, ... 1260 → 11 transmissions in all.
    expect(arrivals.length).toBe(11);
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThanOrEqual(75);
    for (const gap of gaps.slice(3)) expect(gap).toBeGreaterThanOrEqual(150);
  });

  it('speaks IPv6 as well: two nodes on [::1] exchange OPTIONS', async () => {
    const a = await SipStack.listen({ host: '::1', port: 0 });
    const b = await SipStack.listen({ host: '::1', port: 0 });
    stacks.push(a, b);
    expect(b.uri).toMatch(/^sip:\[::1\]:\d+$/);
    const response = await a.request({
      method: 'OPTIONS',
      uri: b.uri,
      from: 'sip:a@example.com',
      to: 'sip:b@example.com',
    });
    expect(response.status).toBe(200);
    expect(response.header('via')).toContain('received=::1');
  });
});
