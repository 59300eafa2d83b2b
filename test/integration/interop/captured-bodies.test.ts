import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src-main/sip/index.ts';
import { startPeers } from '../../helpers/peers.ts';
import { headerValue } from '../../helpers/wire-tap.ts';
import { validateWithXmllint } from '../../unit/overlay/xml/xmllint.ts';

/** Where a reader finds the bodies of the last run (gitignored). */
const OUT_DIR = fileURLToPath(new URL('../../../test-results/captured-bodies/', import.meta.url));

/** One application/p2p+xml body as it crossed the wire. */
interface Captured {
  from: string;
  to: string;
  startLine: string;
  body: string;
  /** The first message of each Overlay part, e.g. ['CertificateIssued']. */
  messages: string[];
  /** The envelope's credential: the sender's certificate, or only its fingerprint. */
  credential: 'Certificate' | 'CertificateRef' | undefined;
  verdict: { ok: boolean; output: string };
  file: string;
}

/**
 * The XSD in docs/ is a promise about the wire. These bodies are not built for a test: they are
 * what real nodes sent each other during a login, a revocation refresh and a signed hello,
 * read off their sockets through the stacks' trace hooks, and each is checked with xmllint.
 */
describe('bodies captured from real runs validate against docs/p2p.xsd', () => {
  let net: Awaited<ReturnType<typeof startPeers>>;
  let captured: Captured[];

  beforeAll(async () => {
    net = await startPeers(['alice', 'bob', 'carol', 'mallory']);
    const events: TraceEvent[] = [];
    const seen = new Set<string>();
    // A datagram is traced twice (sent by one node, received by the other) and a
    // retransmission is the same text again: keep each text once.
    const capture = (e: TraceEvent) => {
      if (!seen.has(e.text)) {
        seen.add(e.text);
        events.push(e);
      }
    };

    // Mallory's key was stolen last week; the operator revoked her certificate (list version 1),
    // so the list Alice and Bob receive at login has an entry in it.
    const mallory = await net.peer('mallory');
    net.ls.store.revoke(mallory.identity.serial, 'keyCompromise');
    const carol = await net.peer('carol');
    // Figure 2 (b): Alice and Bob log in; CertificateRequest out, CertificateIssued back.
    const alice = await net.peer('alice', capture);
    const bob = await net.peer('bob', capture);
    // The trust handshake: the certificate travels once, then its fingerprint.
    expect((await alice.hello(bob.uri)).ok).toBe(true);
    expect((await alice.hello(bob.uri)).ok).toBe(true);
    // Carol's certificate is replaced; Bob fetches the newer list (version 2).
    net.ls.store.revoke(carol.identity.serial, 'superseded');
    expect(await bob.refreshRevocations(net.ls.uri)).toBe(true);

    const names = new Map<number, string>([
      [net.ls.sip!.endpoint.port, 'ls'],
      [alice.stack.endpoint.port, 'alice'],
      [bob.stack.endpoint.port, 'bob'],
    ]);
    captured = bodiesOf(events, (port) => names.get(port) ?? String(port));
    writeForReaders(captured);
  });

  afterAll(() => net?.stop());

  function find(from: string, to: string, message: string): Captured[] {
    return captured.filter((c) => c.from === from && c.to === to && c.messages.includes(message));
  }

  function expectValid(bodies: Captured[]): void {
    for (const c of bodies) expect(c.verdict.ok, `${c.file}:\n${c.verdict.output}`).toBe(true);
  }

  it('the login: every CertificateRequest and the CertificateIssued with its RevocationList validate', () => {
    const requests = find('alice', 'ls', 'CertificateRequest');
    // Both REGISTERs carry it: the one the 401 answers and the one with credentials.
    expect(requests.map((c) => c.startLine)).toEqual([
      expect.stringMatching(/^REGISTER sip:ls@/),
      expect.stringMatching(/^REGISTER sip:ls@/),
    ]);
    expectValid(requests);

    const issued = find('ls', 'alice', 'CertificateIssued');
    expect(issued).toHaveLength(1);
    expect(issued[0].startLine).toBe('SIP/2.0 200 OK');
    expect(issued[0].body).toMatch(/<RevocationList>[\s\S]*<Version>1<\/Version>[\s\S]*<Revoked>/);
    expect(issued[0].body).toContain('<Reason>keyCompromise</Reason>');
    expectValid(issued);
    expectValid(find('ls', 'bob', 'CertificateIssued'));
  });

  it('the revocation refresh: the RevocationListRequest and the RevocationList answer validate', () => {
    const asked = find('bob', 'ls', 'RevocationListRequest');
    expect(asked).toHaveLength(1);
    expect(asked[0].body).toContain('<Since>1</Since>');
    expectValid(asked);

    const answered = find('ls', 'bob', 'RevocationList');
    expect(answered).toHaveLength(1);
    expect(answered[0].body).toContain('<Version>2</Version>');
    expect(answered[0].body.match(/<Revoked>/g)).toHaveLength(2);
    expectValid(answered);
  });

  it('the signed hello: REGISTERs and answers carry <Certificate> first, <CertificateRef> second, and validate', () => {
    const between = (from: string, to: string) => captured.filter((c) => c.from === from && c.to === to);
    const registers = between('alice', 'bob');
    expect(registers.map((c) => c.startLine)).toEqual([
      expect.stringMatching(/^REGISTER /),
      expect.stringMatching(/^REGISTER /),
    ]);
    expect(registers.map((c) => c.credential)).toEqual(['Certificate', 'CertificateRef']);
    expectValid(registers);

    const answers = between('bob', 'alice');
    expect(answers.map((c) => c.startLine)).toEqual(['SIP/2.0 200 OK', 'SIP/2.0 200 OK']);
    expect(answers.map((c) => c.credential)).toEqual(['Certificate', 'CertificateRef']);
    expectValid(answers);
  });

  it('every application/p2p+xml body that crossed the wire validates, and is kept for a reader', () => {
    // Per login two REGISTERs and the 200 (Alice, Bob); four for the hello; two for the refresh.
    expect(captured).toHaveLength(3 + 3 + 4 + 2);
    expectValid(captured);
    expect(captured.every((c) => /^\d\d-/.test(c.file))).toBe(true);
  });
});

/** The application/p2p+xml bodies among traced messages, each checked with xmllint. */
function bodiesOf(events: TraceEvent[], name: (port: number) => string): Captured[] {
  const found: Captured[] = [];
  for (const e of events) {
    if (headerValue(e.text, 'content-type')?.toLowerCase() !== 'application/p2p+xml') continue;
    // The trace text is the datagram's bytes as latin1; the body is UTF-8 after the first blank line.
    const bytes = Buffer.from(e.text, 'latin1');
    const blank = bytes.indexOf('\r\n\r\n');
    const body = bytes.subarray(blank + 4).toString('utf8');
    const [from, to] = e.direction === 'out' ? [e.local.port, e.remote.port] : [e.remote.port, e.local.port];
    const startLine = e.text.slice(0, e.text.indexOf('\r\n'));
    const messages = [...body.matchAll(/<Overlay\b[^>]*>\s*<(\w+)/g)].map((m) => m[1]);
    // The envelope's credential, not the certificates inside a CertificateIssued.
    const envelope = body.replace(/<Overlay\b[\s\S]*<\/Overlay>/, '');
    const credential = /<(CertificateRef|Certificate)>/.exec(envelope)?.[1] as Captured['credential'];
    const what = startLine.startsWith('SIP/2.0 ') ? startLine.split(' ')[1] : startLine.split(' ')[0];
    const label = [what, ...messages, ...(credential ? [credential] : [])].join('-');
    const file = `${String(found.length + 1).padStart(2, '0')}-${name(from)}-to-${name(to)}-${label}.xml`;
    found.push({
      from: name(from),
      to: name(to),
      startLine,
      body,
      messages,
      credential,
      verdict: validateWithXmllint(body),
      file,
    });
  }
  return found;
}

/** test-results/captured-bodies/: each body indented by xmllint, and an index of who sent what. */
function writeForReaders(bodies: Captured[]): void {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const index = [
    'Bodies captured by test/integration/interop/captured-bodies.test.ts (indented for reading;',
    'the signatures are over the bodies as sent, on one line).',
    '',
  ];
  for (const c of bodies) {
    let pretty = c.body;
    try {
      pretty = execFileSync('xmllint', ['--format', '--nonet', '-'], { input: c.body, encoding: 'utf8' });
    } catch {
      // Not well-formed: keep it as it came, the verdict says why.
    }
    writeFileSync(join(OUT_DIR, c.file), pretty);
    index.push(
      `${c.file}\n  ${c.from} -> ${c.to}: ${c.startLine}\n  xsd: ${c.verdict.ok ? 'valid' : c.verdict.output.trim()}`,
    );
  }
  writeFileSync(join(OUT_DIR, 'index.txt'), index.join('\n') + '\n');
}
