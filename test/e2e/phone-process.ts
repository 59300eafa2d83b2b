import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gracefulChild } from './graceful-child.ts';

const BIN = fileURLToPath(new URL('../../bin/chordline.js', import.meta.url));
const ADDRESS_LINE = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+) in your browser/;

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
  const { exited, stop } = gracefulChild(child);

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
