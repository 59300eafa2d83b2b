import { CliError } from './cli-error.ts';
import { certCommand, CERT_HELP } from './commands/cert.ts';
import { lsCommand, LS_HELP } from './commands/ls.ts';
import { peerCommand, PEER_HELP } from './commands/peer.ts';
import { startCommand, START_HELP } from './commands/start.ts';

const HELP = `chordline: a serverless desktop phone (SIP peers on a P2P overlay)

Usage: chordline COMMAND [options]     (each command has --help)

  start     this computer's phone: the desktop app, or the same UI in the browser (npm start)
  ls        run and administer a login server: init, start, user add|remove|list, revoke, status
  peer      run a headless peer that logs in and keeps its identity in a data folder
  dial      place one call through the overlay and report status, hops and setup time
  cert      this computer's identity: show, export (PKCS#12 / PEM), import
  bench     benchmarks (what "npm run bench" runs)
  lab       a login server and N peers in one process: the ring, lookups, churn, checked

Every command that runs a node takes --trace to print each SIP message sent and received.
`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  start: startCommand,
  ls: lsCommand,
  peer: peerCommand,
  cert: certCommand,
  dial: async (argv) => (await import('./commands/dial.ts')).dialCommand(argv),
  bench: async (argv) => (await import('./commands/bench.ts')).benchCommand(argv),
  lab: async (argv) => (await import('./commands/lab.ts')).labCommand(argv),
  help: async (argv) => {
    const topic: Record<string, string> = {
      ls: LS_HELP,
      peer: PEER_HELP,
      cert: CERT_HELP,
      start: START_HELP,
    };
    if (argv[0] === 'lab') topic.lab = (await import('./commands/lab.ts')).LAB_HELP;
    if (argv[0] === 'dial') topic.dial = (await import('./commands/dial.ts')).DIAL_HELP;
    process.stdout.write(topic[argv[0]] ?? HELP);
    return 0;
  },
};

/**
 * The `chordline` command line. Returns the exit status; every failure is one line on stderr
 * that says what to do (2 for bad usage, 1 for anything else).
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write('chordline 0.1.0\n');
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new CliError(`unknown command "${name}" (try: chordline --help)`, true);
    return await command(rest);
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`chordline: ${message.split('\n')[0]}\n`);
  if (process.env.CHORDLINE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return error instanceof CliError && error.usage ? 2 : 1;
}
