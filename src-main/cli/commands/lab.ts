import {
  eventLines,
  InvalidLabOptionsError,
  LabInterruptedError,
  LabSetupError,
  labJson,
  progressText,
  runLab,
  summaryLines,
} from '../../app/lab/index.ts';
import type { LabEvent } from '../../app/lab/index.ts';
import { parse } from '../args.ts';
import { CliError } from '../cli-error.ts';
import { output } from '../output.ts';

export const LAB_HELP = `chordline lab: a whole Chordline network on this machine, checked end to end

  chordline lab [--peers N] [--calls C] [--leave L] [--kill K] [--lookups M] [--seed S]
                [--switch LAYER=ALGORITHM ...] [--json]

  Starts a login server and N peers (default 10) on 127.0.0.1, all in this one process. Each
  peer has its own key pair, key store and UDP socket, logs in with digest and joins the Chord
  identity ring, one after another in random order. Then the lab checks every node's
  predecessor, successor list and fingers against the sorted NodeIDs, looks up M random keys
  from every node (default 20) and checks each owner, fetches every peer's registration from
  another peer, and places C calls (default 10) between random pairs of peers: each INVITE is
  routed hop by hop through the ring, answered with a signed 200 OK, ACKed and hung up.

  --leave L   L peers leave gracefully; the ring must heal and lose no registration
  --kill K    K peers stop with no warning (after any leave); likewise checked, calls too
  --switch identity=onehop
              at the end, the login server's CA announces that the identity layer switches
              algorithm (repeat the flag to switch again, e.g. back to chord); C calls are held
              across each switch and five peers look bindings up without pause meanwhile
  --seed S    the same join order, keys, and peers leaving or killed (NodeIDs are always new)
  --json      one JSON object: ring_correct, lookups, lookup_failures, hops_mean, calls,
              calls_failed, setup_ms_p50, setup_ms_p95, heal_ms, registrations_lost, and with
              --switch: switch_ms, lookups_during_switch, lookup_failures_during_switch,
              calls_dropped, switches

  Chord refreshes every second per 30 peers here (1 s up to 30, 4 s for 100), with a 500 ms hop
  timeout: a real ring refreshes every 60 s, but every lab peer shares this one process. Exit
  status 0 when everything was right, 1 otherwise. Ctrl-C stops every peer and removes the
  lab's temp folder.
`;

const PROGRESS_EVERY_MS = 100;

export async function labCommand(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(LAB_HELP);
    return 0;
  }
  const { values, positionals } = parse(argv, {
    peers: { type: 'string' },
    kill: { type: 'string' },
    leave: { type: 'string' },
    lookups: { type: 'string' },
    seed: { type: 'string' },
    calls: { type: 'string' },
    switch: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0)
    throw new CliError(`lab takes no "${positionals[0]}" (try: chordline lab --help)`, true);
  const out = output(values.json ?? false);
  const progress = progressPrinter(!out.json && process.stdout.isTTY === true);

  // Ctrl-C: runLab tears everything down at once and rejects; a second Ctrl-C does not wait.
  const controller = new AbortController();
  const onSignal = () => (controller.signal.aborted ? process.exit(130) : controller.abort());
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const report = await runLab(
      {
        peers: whole(values.peers, '--peers') ?? 10,
        kill: whole(values.kill, '--kill'),
        leave: whole(values.leave, '--leave'),
        lookups: whole(values.lookups, '--lookups'),
        calls: whole(values.calls, '--calls'),
        seed: whole(values.seed, '--seed'),
        switch: values.switch,
      },
      {
        signal: controller.signal,
        onEvent: (event) => {
          if (!out.json) progress(event, (line) => out.line(line));
        },
      },
    );
    out.result(labJson(report));
    for (const line of out.json ? [] : summaryLines(report)) out.line(line);
    return report.ok ? 0 : 1;
  } catch (error) {
    progress.clear();
    if (error instanceof LabInterruptedError) {
      process.stderr.write(`chordline lab: ${error.message}\n`);
      return 130;
    }
    if (error instanceof InvalidLabOptionsError) throw new CliError(error.message, true);
    if (error instanceof LabSetupError) throw new CliError(`the lab could not start: ${error.message}`);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function whole(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,10}$/.test(text)) throw new CliError(`${flag} wants a whole number, not "${text}"`, true);
  return Number(text);
}

/**
 * Phase lines as they finish; on a terminal, the running phase's count is redrawn in place
 * (at most every 100 ms) and replaced by its final line.
 */
function progressPrinter(redraw: boolean) {
  let drawn = false;
  let drawnAt = 0;
  const clear = () => {
    if (drawn) process.stdout.write('\r\x1b[2K');
    drawn = false;
  };
  const print = (event: LabEvent, line: (text: string) => void) => {
    const running = progressText(event);
    if (running !== undefined) {
      const now = performance.now();
      const last = event.kind === 'progress' && event.done === event.total;
      if (!redraw || (now - drawnAt < PROGRESS_EVERY_MS && !last)) return;
      process.stdout.write(`\r\x1b[2K${running}`);
      drawn = true;
      drawnAt = now;
      return;
    }
    clear();
    for (const text of eventLines(event)) line(text);
  };
  return Object.assign(print, { clear });
}
