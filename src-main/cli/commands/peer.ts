import { placeholderSdp } from '../../app/calls/index.ts';
import { attachEcho, forgetEchoState, readEchoState, writeEchoState } from '../../app/echo/index.ts';
import type { EchoHandle, EchoStats } from '../../app/echo/index.ts';
import { joinIdentityLayer } from '../../app/identity-layer.ts';
import { readPeerState, writePeerState } from '../../app/peer-state-file.ts';
import type { PeerNode as PeerNodeType } from '../../app/peer-node.ts';
import { attachSipPhone, DEFAULT_SIP_PHONE_PORT } from '../../app/sip-phones/index.ts';
import type { SipPhoneHandle } from '../../app/sip-phones/index.ts';
import { parse, parseListen, required } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { output, untilSignalled } from '../output.ts';
import { secret } from '../secrets.ts';
import { openPeer } from './open-peer.ts';

export const PEER_HELP = `chordline peer: run a headless peer

  chordline peer --data DIR [--ls sip:ls@HOST:PORT --user NAME[@DOMAIN]] [--password PW]
                 [--passphrase PP] [--listen HOST:PORT] [--ca-fingerprint HEX] [--hello sip:HOST:PORT]
                 [--timeout SECONDS] [--bootstrap sip:HOST:PORT ...] [--no-join]
                 [--auto-answer | --echo] [--trace] [--json]
                 [--sip-phone PASSWORD [--sip-phone-listen HOST:PORT] [--sip-phone-digest MD5,SHA-256]]
  chordline peer state --data DIR [--json]     (a running peer's NodeID, neighbours, fingers)

  The first run logs in (--ls and --user) and keeps the certificate in DIR; later runs start
  from it. The key store is unlocked with --passphrase (or CHORDLINE_PASSPHRASE, or a prompt);
  the login password comes from --password (or CHORDLINE_PASSWORD, or a prompt).
  It then joins the identity overlay (Chord) through the login server's bootstrap peers (or
  --bootstrap), or starts the ring if it is the first, and registers this device's binding.
  --hello exchanges signed REGISTERs with another peer and reports who it is.
  Calls to this peer's user ring it: a headless peer declines them (480), unless --auto-answer
  (for test peers: it answers every call at once and prints one line per call), or --echo
  (the echo test: it answers calls that offer WebRTC audio and sends back what it hears, so
  that a caller can try their microphone and speaker alone; it notes the DTMF keys pressed,
  refuses other offers with 488, and hangs up a call whose media does not arrive in 30 s;
  "peer state" shows its counts and the keys heard in the last call).
  --sip-phone PASSWORD serves this user's desk phone (baresip, Linphone, a hardware SIP phone)
  on a SIP port of its own (--sip-phone-listen, default this peer's address, port 5070): set
  that address as the phone's registrar and outbound proxy, the peer's user name as its user
  and PASSWORD (local to this computer, not the network login) as its password. Calls to the
  user ring the phone, and the phone's calls go into the network signed by this peer. Media
  is G.711 (PCMU or PCMA) relayed without transcoding: the WebRTC side stays DTLS-SRTP, the
  leg to the phone is plain RTP, unencrypted, so keep the phone on a network you trust.
  Phones that know MD5 only and give up when offered SHA-256 too (baresip 1.0) need
  --sip-phone-digest MD5.
  Ctrl-C (SIGINT) or SIGTERM leaves the ring gracefully and stops the peer.
`;

export async function peerCommand(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(PEER_HELP);
    return 0;
  }
  if (argv[0] === 'state') return stateCommand(argv.slice(1));
  const { values } = parse(argv, {
    data: { type: 'string' },
    ls: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    passphrase: { type: 'string' },
    listen: { type: 'string' },
    'ca-fingerprint': { type: 'string' },
    timeout: { type: 'string' },
    'no-join': { type: 'boolean' },
    'auto-answer': { type: 'boolean' },
    echo: { type: 'boolean' },
    'sip-phone': { type: 'string' },
    'sip-phone-listen': { type: 'string' },
    'sip-phone-digest': { type: 'string' },
    bootstrap: { type: 'string', multiple: true },
    hello: { type: 'string', multiple: true },
    trace: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.echo && values['auto-answer']) {
    throw new CliError('--echo and --auto-answer both answer every call: give one of them', true);
  }
  if (values['sip-phone'] !== undefined && (values.echo || values['auto-answer'])) {
    throw new CliError(
      '--sip-phone rings a desk phone for every call: it cannot go with --echo or --auto-answer',
      true,
    );
  }
  const out = output(values.json ?? false);
  const { node, dataDir } = await openPeer(values, 'peer');
  // Listen for Ctrl-C before saying it works, so that no signal falls in between.
  const stopped = untilSignalled();
  try {
    await signIn(node, values);
    if (values['auto-answer']) answerEveryCall(node, out);
    const echo = values.echo ? echoEveryCall(node, dataDir, out) : undefined;
    if (!echo) await forgetEchoState(dataDir);
    const sipPhone = values['sip-phone'] === undefined ? undefined : await serveSipPhone(node, values, out);
    if (!values['no-join']) {
      const bootstrap = values.bootstrap?.map((url) => ({ nodeUrl: url }));
      const overlay = await joinIdentityLayer(node, {
        bootstrap,
        onStartedAlone: (why) => process.stderr.write(`chordline peer: ${why}; started a ring of its own\n`),
      });
      const writeState = () => writePeerState(dataDir, node, overlay);
      await writeState();
      node.every(2000, writeState);
    }
    printStatus(node, out);
    for (const target of values.hello ?? []) {
      const verified = await node.hello(target);
      out.line(
        verified.ok
          ? `  hello ${target}: ${verified.sender.aor} (${verified.sender.nodeId})`
          : `  hello ${target}: refused, ${verified.reason}`,
      );
    }
    out.result(node.status());
    out.line('Ctrl-C leaves (gracefully: neighbours are told and bindings handed over).');
    await stopped;
    await echo?.close();
    await sipPhone?.close();
    await node.leave();
    return 0;
  } finally {
    node.stop();
  }
}

/** `chordline peer state --data DIR`: what a running peer last wrote about its place in the ring. */
async function stateCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { data: { type: 'string' }, json: { type: 'boolean' } });
  const dataDir = required(values.data, '--data');
  const state = await readPeerState(dataDir);
  const echo = await readEchoState(dataDir);
  const out = output(values.json ?? false);
  out.result(echo ? { ...state, echo } : state);
  if (out.json) return 0;
  const tables = state.overlay.tables as {
    predecessor?: { id: string; url: string } | null;
    successors?: Array<{ id: string; url: string }>;
    fingers?: Array<{ start: string; node: { id: string; url: string } }>;
  };
  const ref = (n?: { id: string; url: string } | null) => (n ? `${n.id.slice(0, 12)}…  ${n.url}` : '-');
  out.line(`${state.aor}  (state written ${state.writtenAt})`);
  out.table([
    ['NodeID', state.overlay.self.id],
    ['address', state.overlay.self.url],
    [
      'layer',
      `${state.overlay.layer} / ${state.overlay.algorithm}${state.overlay.joined ? '' : ' (not joined)'}`,
    ],
    ['predecessor', ref(tables.predecessor)],
    ...(tables.successors ?? []).map((s, i): [string, string] => [i === 0 ? 'successors' : '', ref(s)]),
    ...(tables.fingers ?? []).map((f, i): [string, string] => [
      i === 0 ? 'fingers' : '',
      `${f.start.slice(0, 8)}… → ${ref(f.node)}`,
    ]),
    ['bindings stored', String(state.overlay.bindings)],
    ...(state.bindings ?? []).map((b): [string, string] => [
      '',
      `${b.aor} → ${b.contact} (until ${new Date(b.expiresAt).toISOString()})`,
    ]),
    [
      'calls carried',
      state.routing
        ? `${state.routing.proxied} proxied, ${state.routing.forked} rung here as responsible node, ${state.routing.notFound} not found`
        : '-',
    ],
    ...(state.calls ?? []).map((c, i): [string, string] => [
      i === 0 ? 'calls' : '',
      `${c.direction === 'outgoing' ? 'to' : 'from'} ${c.peer}: ${c.state}`,
    ]),
    ...(echo ? echoRows(echo) : []),
  ]);
  return 0;
}

/** --auto-answer: every call is answered at once; the caller decides when it ends. */
function answerEveryCall(node: PeerNodeType, out: ReturnType<typeof output>): void {
  node.calls.onIncoming = (call) => {
    call.answer(placeholderSdp(node.stack.endpoint.address));
    if (out.json) return;
    out.line(`  call from ${call.peer}: answered (${call.hops ?? '?'} peers in between)`);
    void call.ended.then((end) => out.line(`  call from ${call.peer}: ended, ${end.reason}`));
  };
}

/**
 * --echo: the echo test answers every call; one line per thing that happens to a call (or a
 * JSON line each with --json), and its stats in DIR/echo.json for "peer state".
 */
function echoEveryCall(node: PeerNodeType, dataDir: string, out: ReturnType<typeof output>): EchoHandle {
  const echo = attachEcho(node, {
    onEvent: (event) => {
      if (out.json) out.result({ echo: event });
      else out.line(`  echo: call from ${event.peer}: ${event.message}`);
      void save();
    },
  });
  const save = () =>
    writeEchoState(dataDir, echo.stats()).catch((error: unknown) =>
      process.stderr.write(`chordline peer: could not write the echo stats: ${(error as Error).message}\n`),
    );
  void save();
  node.every(2000, save);
  return echo;
}

function echoRows(echo: EchoStats): Array<[string, string]> {
  const last = echo.lastCall;
  return [
    [
      'echo test',
      `${echo.answered} answered, ${echo.inProgress} in progress, ${echo.refused} refused; ` +
        `${echo.rtpReceived} packets heard, ${echo.rtpEchoed} sent back`,
    ],
    [
      'last echo call',
      last
        ? `from ${last.peer}: ${last.state}, keys "${last.digits}"` +
          (last.firstRtpMs === undefined ? '' : `, media ${last.firstRtpMs} ms after the answer`)
        : '-',
    ],
  ];
}

/** --sip-phone: the peer is its user's desk phone's registrar and bridge (app/sip-phones/). */
async function serveSipPhone(
  node: PeerNodeType,
  values: { 'sip-phone'?: string; 'sip-phone-listen'?: string; 'sip-phone-digest'?: string },
  out: ReturnType<typeof output>,
): Promise<SipPhoneHandle> {
  const password = values['sip-phone'] ?? '';
  if (password === '') throw new CliError('--sip-phone wants the password the desk phone will use', true);
  const listen = values['sip-phone-listen']
    ? parseListen(values['sip-phone-listen'], node.stack.endpoint.address)
    : { host: node.stack.endpoint.address, port: DEFAULT_SIP_PHONE_PORT };
  const digest = values['sip-phone-digest']?.split(',').map((a) => a.trim().toUpperCase());
  if (digest && (digest.length === 0 || digest.some((a) => a !== 'SHA-256' && a !== 'MD5'))) {
    throw new CliError('--sip-phone-digest takes SHA-256 and/or MD5, most preferred first', true);
  }
  const phone = await attachSipPhone(node, {
    password,
    host: listen.host,
    port: listen.port,
    digest: digest as Array<'SHA-256' | 'MD5'> | undefined,
    onEvent: (event) => {
      if (out.json) out.result({ sipPhone: event });
      else out.line(`  desk phone: ${event.message}`);
    },
  });
  out.line(`  desk phone: registrar and outbound proxy ${phone.uri}, user ${phone.username}`);
  return phone;
}

export async function signIn(
  node: PeerNodeType,
  values: { ls?: string; user?: string; password?: string; 'ca-fingerprint'?: string; timeout?: string },
): Promise<void> {
  const saved = await node.settings();
  const loginServer = values.ls ?? saved?.loginServer;
  const user = values.user ?? saved?.aor;
  if (!values.ls && !values.user && (await node.resume())) return;
  if (!loginServer || !user) {
    throw new CliError('this peer has not logged in yet: give --ls sip:ls@HOST:PORT and --user NAME', true);
  }
  const password = await secret({
    flag: values.password,
    flagName: '--password',
    env: 'CHORDLINE_PASSWORD',
    prompt: `Password for ${user}: `,
  });
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0))
    throw new CliError('--timeout wants a number of seconds', true);
  await node.login({
    loginServer,
    aor: user,
    password,
    caFingerprint: values['ca-fingerprint'] ?? saved?.caFingerprint,
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
  });
}

function printStatus(node: PeerNodeType, out: ReturnType<typeof output>): void {
  const s = node.status();
  out.line(`Peer ${s.aor} is up at ${s.uri}`);
  out.table([
    ['NodeID', s.nodeId ?? '-'],
    ['certificate', s.certificate ? `${s.certificate.serial}, valid until ${s.certificate.notAfter}` : '-'],
    [
      'bootstrap peers',
      node.bootstrap.map((b) => b.nodeUrl).join(', ') || 'none yet (first peer of the ring)',
    ],
    ['revocation list', `version ${s.revocationListVersion}`],
  ]);
}
