import { placeholderSdp } from '../../app/calls/index.ts';
import type { CallSnapshot } from '../../app/calls/index.ts';
import { joinIdentityLayer } from '../../app/identity-layer.ts';
import { parse } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { openPeer } from './open-peer.ts';
import { output } from '../output.ts';
import { signIn } from './peer.ts';

export const DIAL_HELP = `chordline dial: place one call and report how it went

  chordline dial sip:USER@DOMAIN --data DIR [--ls sip:ls@HOST:PORT --user NAME] [--password PW]
                 [--passphrase PP] [--bootstrap sip:HOST:PORT ...] [--listen HOST:PORT]
                 [--ring SECONDS] [--hold SECONDS] [--trace] [--json]

  Starts the peer kept in DIR (logging in first if it never did, as \`chordline peer\`), joins
  the identity overlay, calls the address through it, and reports the outcome: the SIP status,
  how many peers carried the INVITE, and the time from INVITE to 200 OK. An answered call is
  held for --hold seconds (default 0), then hung up (BYE); the peer then leaves the ring.
  --ring gives up after that many seconds without an answer (default 30).
  --json prints one JSON object. The exit status is 0 when the call was answered, 1 otherwise.
  Media arrives in a later milestone: the call offers an inactive audio stream.
`;

export async function dialCommand(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(DIAL_HELP);
    return 0;
  }
  const { values, positionals } = parse(argv, {
    data: { type: 'string' },
    ls: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    passphrase: { type: 'string' },
    listen: { type: 'string' },
    'ca-fingerprint': { type: 'string' },
    timeout: { type: 'string' },
    bootstrap: { type: 'string', multiple: true },
    ring: { type: 'string' },
    hold: { type: 'string' },
    trace: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const target = positionals[0];
  if (!target || positionals.length > 1)
    throw new CliError('give one address to call: chordline dial sip:USER@DOMAIN', true);
  if (!/^sips?:[^@\s]+@[^@\s]+$/.test(target)) {
    throw new CliError(`"${target}" is not a user's address: write it as sip:USER@DOMAIN`, true);
  }
  const ring = seconds(values.ring, '--ring', 30);
  const hold = seconds(values.hold, '--hold', 0);
  const out = output(values.json ?? false);
  const { node } = await openPeer(values, 'dial');
  try {
    await signIn(node, values);
    await joinIdentityLayer(node, {
      bootstrap: values.bootstrap?.map((url) => ({ nodeUrl: url })),
      onStartedAlone: (why) => {
        throw new CliError(`no peer to call through: ${why}`);
      },
    });
    out.line(`Calling ${target} from ${node.identity.aor} …`);
    const call = node.dial(target, {
      sdp: placeholderSdp(node.stack.endpoint.address),
      ringTimeoutMs: ring * 1000,
    });
    call.onChange((c) => {
      if (c.state === 'ringing') out.line('  ringing');
    });
    const answered = await call.answered;
    if (answered) {
      out.line(`  answered by ${call.peer}`);
      if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold * 1000));
      call.hangup();
    }
    const end = await call.ended;
    const result = report(call.snapshot());
    out.result(result);
    out.table([
      ['status', `${result.status} ${end.reason}`],
      ['hops', result.hops === null ? '-' : `${result.hops} peers carried the INVITE`],
      ['setup', result.setup_ms === null ? '-' : `${result.setup_ms} ms from INVITE to 200 OK`],
    ]);
    await node.leave();
    return answered ? 0 : 1;
  } finally {
    node.stop();
  }
}

/** The one JSON object `dial --json` prints. */
function report(call: CallSnapshot) {
  return {
    target: call.peer,
    call_id: call.id,
    answered: call.answeredAt !== undefined,
    status: call.answeredAt !== undefined ? 200 : (call.end?.status ?? 0),
    reason: call.end?.reason ?? '',
    ended_by: call.end?.by ?? null,
    hops: call.hops ?? null,
    setup_ms: call.setupMs ?? null,
  };
}

function seconds(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 3600) throw new CliError(`${flag} wants a number of seconds`, true);
  return n;
}
