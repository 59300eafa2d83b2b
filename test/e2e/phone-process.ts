import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/chordline.js', import.meta.url));
const ADDRESS_LINE = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+) in your browser/;
/** How long Ctrl-C may take (calls hung up, the ring told) before the process is killed. */
const STOP_GRACE_MS = 10_000;

/** A phone in browser mode, as `npm run start:web -- --data DIR` runs it: a process of its own. */
export interface PhoneProcess {
  /** http://127.0.0.1:PORT/?token=...: what the person opens. */
  readonly url: string;
  /** The phone's process id (for reading its CPU time in /proc). */
  readonly pid: number;
  /** Everything it printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Ctrl-C, then SIGKILL if it has not exited after a grace period; its exit code. Safe twice. */
  stop(): Promise<number | null>;
}

/**
 * Starts `chordline start --web --data DIR --port 0 --ui UI` and resolves once it printed its
 * address. A phone that exits first or is not ready in time is killed, and the promise rejects
 * with what it printed. A phone the test forgets is killed when the test process exits.
 */
export function startPhone(options: {
  dataDir: string;
  uiDir: string;
  timeoutMs?: number;
  /**
   * Runs the phone through another command (a network namespace's `nsenter`); it must exec the
   * phone in place, so that its PID, its output and Ctrl-C are the phone's.
   */
  wrap?: (command: string, args: string[]) => { command: string; args: string[] };
}): Promise<PhoneProcess> {
  const argv = [BIN, 'start', '--web', '--data', options.dataDir, '--port', '0', '--ui', options.uiDir];
  const run = options.wrap ? options.wrap(process.execPath, argv) : { command: process.execPath, args: argv };
  const child = spawn(run.command, run.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  let stopping: Promise<number | null> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    })());

  return new Promise<PhoneProcess>((resolve, reject) => {
    let ready = false;
    const fail = (why: string) => {
      if (ready) return;
      clearTimeout(timer);
      void stop();
      reject(new Error(`${why}:\n${text}`));
    };
    const timer = setTimeout(
      () => fail(`the phone in ${options.dataDir} printed no address in time`),
      options.timeoutMs ?? 30_000,
    );
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const address = ADDRESS_LINE.exec(text);
      if (!ready && address && /Ctrl-C stops it/.test(text)) {
        ready = true;
        clearTimeout(timer);
        resolve({ url: address[1], pid: child.pid!, output: () => text, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => fail(`the phone in ${options.dataDir} exited (${code}) before it was ready`));
  });
}
