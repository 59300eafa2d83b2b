import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBindingStore, Proxy, Registrar, SipStack } from '../../../src-main/sip/index.ts';
import type { SipRequest, SipResponse } from '../../../src-main/sip/index.ts';

/**
 * Every Chordline node is registrar and proxy at once. These stories run three or four real
 * nodes on 127.0.0.1: Alice's UA, a proxy in the middle, and Bob's device(s).
 */
describe('the proxy and registrar roles over real UDP', () => {
  let stacks: SipStack[] = [];
  afterEach(() => {
    for (const s of stacks) s.close();
    stacks = [];
  });

  async function node(): Promise<SipStack> {
    const stack = await SipStack.listen({ host: '127.0.0.1', port: 0 });
    stacks.push(stack);
    return stack;
  }

  /** A proxy that sends every INVITE/MESSAGE to the contacts registered for its To AOR. */
  async function proxyNode(): Promise<{ stack: SipStack; registrar: Registrar }> {
    const stack = await node();
    const store = new MemoryBindingStore();
    const registrar = new Registrar(store);
    const proxy = new Proxy(stack);
    stack.handle('REGISTER', (request) => {
      const result = registrar.register(request);
      request.respond(result.status, { reason: result.reason, headers: result.headers });
    });
    const route = async (request: SipRequest) => {
      const bindings = store.get(Registrar.aorOf(request));
      if (bindings.length === 0) return request.respond(404, { reason: 'No such user here' });
      await proxy.forward(
        request,
        bindings.map((b) => {
          const [host, port] = b.contact.replace(/^sip:[^@]*@/, '').split(':');
          return { destination: { address: host, port: Number(port) }, requestUri: b.contact };
        }),
        { recordRoute: true },
      );
    };
    stack.handle('INVITE', route);
    stack.handle('MESSAGE', route);
    stack.onAck((ack) => void proxy.forwardStateless(ack));
    return { stack, registrar };
  }

  async function register(device: SipStack, registrar: SipStack, user: string): Promise<SipResponse> {
    return device.request({
      method: 'REGISTER',
      uri: `sip:${registrar.hostport}`,
      from: `sip:${user}@example.com`,
      to: `sip:${user}@example.com`,
      contact: `sip:${user}@${device.hostport}`,
      headers: [['Expires', '600']],
    });
  }

  it('Bob registers his device and the registrar lists the binding with its lifetime', async () => {
    const { stack: registrar } = await proxyNode();
    const bob = await node();
    const response = await register(bob, registrar, 'bob');
    expect(response.status).toBe(200);
    expect(response.header('contact')).toMatch(new RegExp(`<sip:bob@${bob.hostport}>;expires=(600|599)`));
  });

  it("Alice's INVITE crosses the proxy, rings Bob, is answered and acknowledged end to end", async () => {
    const { stack: proxy } = await proxyNode();
    const alice = await node();
    const bob = await node();
    await register(bob, proxy, 'bob');
    let ackArrived: (r: SipRequest) => void = () => {};
    const acked = new Promise<SipRequest>((resolve) => (ackArrived = resolve));
    bob.handle('INVITE', (invite) => {
      invite.respond(180);
      setTimeout(() => invite.respond(200, { headers: [['Contact', `<${bob.uri}>`]] }), 20);
    });
    bob.onAck(ackArrived);

    const provisional: number[] = [];
    const answer = await alice.request(
      {
        method: 'INVITE',
        uri: 'sip:bob@example.com',
        from: 'sip:alice@example.com',
        to: 'sip:bob@example.com',
        contact: alice.uri,
        destination: proxy.endpoint,
      },
      { onProvisional: (r) => provisional.push(r.status) },
    );
    expect(provisional).toContain(180);
    expect(answer.status).toBe(200);
    // The proxy pushed and popped its Via: Alice sees only her own.
    expect(answer.headers('via')).toHaveLength(1);
    // It record-routed, so the dialog's requests come back through it.
    const recordRoute = answer.header('record-route') ?? '';
    expect(recordRoute).toContain(proxy.hostport);

    await alice.sendRaw(
      [
        `ACK ${bob.uri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${alice.hostport};branch=z9hG4bKack${Date.now()};rport`,
        `Route: ${recordRoute}`,
        `Max-Forwards: 70`,
        `From: ${answer.header('from')}`,
        `To: ${answer.header('to')}`,
        `Call-ID: ${answer.callId}`,
        `CSeq: ${answer.cseq} ACK`,
        `Content-Length: 0`,
        ``,
        ``,
      ].join('\r\n'),
      proxy.endpoint,
    );
    const ack = await acked;
    expect(ack.method).toBe('ACK');
    expect(ack.headers('route')).toHaveLength(0);
  });

  it('when Alice hangs up before Bob answers, the CANCEL reaches Bob and Alice gets 487', async () => {
    const { stack: proxy } = await proxyNode();
    const alice = await node();
    const bob = await node();
    await register(bob, proxy, 'bob');
    let bobSawCancel = false;
    bob.handle('INVITE', (invite) => {
      invite.respond(180);
      invite.onCancel(() => {
        bobSawCancel = true;
        invite.respond(487);
      });
    });
    const spec = {
      method: 'INVITE',
      uri: 'sip:bob@example.com',
      from: 'sip:alice@example.com',
      to: 'sip:bob@example.com',
      callId: 'cancel-story',
      fromTag: 'alicetag',
      destination: proxy.endpoint,
    };
    const outgoing = alice.buildRequest(spec);
    const answer = alice.sendRequest(outgoing, proxy.endpoint, {
      onProvisional: (r) => {
        if (r.status !== 180) return;
        const cancel = alice.buildRequest({ ...spec, method: 'CANCEL' });
        cancel.branch = outgoing.branch;
        void alice.sendRequest(cancel, proxy.endpoint);
      },
    });
    expect((await answer).status).toBe(487);
    expect(bobSawCancel).toBe(true);
  });

  it('a request whose Max-Forwards ran out gets 483 Too Many Hops', async () => {
    const { stack: proxy } = await proxyNode();
    const alice = await node();
    const bob = await node();
    await register(bob, proxy, 'bob');
    const response = await alice.request({
      method: 'MESSAGE',
      uri: 'sip:bob@example.com',
      from: 'sip:alice@example.com',
      to: 'sip:bob@example.com',
      maxForwards: 0,
      destination: proxy.endpoint,
    });
    expect(response.status).toBe(483);
  });

  it('Bob has two devices: the call forks, the one that answers wins, the other is cancelled', async () => {
    const { stack: proxy } = await proxyNode();
    const alice = await node();
    const desk = await node();
    const laptop = await node();
    await register(desk, proxy, 'bob');
    await register(laptop, proxy, 'bob');
    let laptopCancelled = false;
    desk.handle('INVITE', (invite) => {
      invite.respond(180);
      setTimeout(() => invite.respond(200, { headers: [['Contact', `<${desk.uri}>`]] }), 30);
    });
    laptop.handle('INVITE', (invite) => {
      invite.respond(180);
      invite.onCancel(() => {
        laptopCancelled = true;
        invite.respond(487);
      });
    });
    const answer = await alice.request({
      method: 'INVITE',
      uri: 'sip:bob@example.com',
      from: 'sip:alice@example.com',
      to: 'sip:bob@example.com',
      destination: proxy.endpoint,
    });
    expect(answer.status).toBe(200);
    expect(answer.header('contact')).toContain(desk.hostport);
    await expect.poll(() => laptopCancelled).toBe(true);
  });

  it('when every device refuses, Alice hears the best answer (486 Busy before 500)', async () => {
    const { stack: proxy } = await proxyNode();
    const alice = await node();
    const a = await node();
    const b = await node();
    await register(a, proxy, 'bob');
    await register(b, proxy, 'bob');
    a.handle('MESSAGE', (m) => m.respond(503));
    b.handle('MESSAGE', (m) => m.respond(486));
    const response = await alice.request({
      method: 'MESSAGE',
      uri: 'sip:bob@example.com',
      from: 'sip:alice@example.com',
      to: 'sip:bob@example.com',
      destination: proxy.endpoint,
    });
    expect(response.status).toBe(486);
  });
});
