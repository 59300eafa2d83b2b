import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readEchoState } from '../../../src-main/app/echo/index.ts';
import type { NetworkNamespace } from './network-namespace.ts';
import { gracefulChild } from '../graceful-child.ts';

const BIN = fileURLToPath(new URL('../../../bin/chordline.js', import.meta.url));

/**
 * The DTMF keys an echo peer heard in its last call (RFC 4733, EchoCallStats.digits), from the
 * stats it keeps in DIR/echo.json (`chordline peer --echo` writes them on every event).
 * Undefined while there is no such file.
 */
export async function echoDigits(dir: string): Promise<string | undefined> {
  return (await readEchoState(dir))?.lastCall?.digits;
}

/** A running `chordline peer --echo`. */
export interface EchoPeer {
  readonly dataDir: string;
  output(): string;
  /** Ctrl-C (it leaves the ring), then SIGKILL after 10 s; its exit code. Safe twice. */
  stop(): Promise<number | null>;
}

/**
 * `chordline peer --echo --json` inside the namespace: logs in as `user`, joins the ring, and
 * resolves once it printed its status (it is in the ring and its binding is registered).
 */
export function startEchoPeer(options: {
  ns: NetworkNamespace;
  dataDir: string;
  loginServer: string;
  user: string;
  password: string;
  timeoutMs?: number;
}): Promise<EchoPeer> {
  const argv = [
    BIN,
    'peer',
    '--echo',
    '--json',
    '--data',
    options.dataDir,
    '--ls',
    options.loginServer,
    '--user',
    options.user,
    '--password',
    options.password,
    '--passphrase',
    'echo peer passphrase',
  ];
  const run = options.ns.wrap(process.execPath, argv);
  const child = spawn(run.command, run.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const { exited, stop } = gracefulChild(child);
  return new Promise<EchoPeer>((resolve, reject) => {
    let ready = false;
    const fail = (why: string) => {
      if (ready) return;
      clearTimeout(timer);
      void stop();
      reject(new Error(`${why}:\n${text}`));
    };
    const timer = setTimeout(() => fail('the echo peer did not start in time'), options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      // --json prints its status (node.status(): the AOR and NodeID) once it is in the ring.
      if (!ready && /"nodeId"/.test(text)) {
        ready = true;
        clearTimeout(timer);
        resolve({ dataDir: options.dataDir, output: () => text, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => fail(`the echo peer exited (${code}) before it was ready`));
  });
}
