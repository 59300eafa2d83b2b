import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDirs } from './temp-dir.ts';

/** The scenarios written for these tests: test/fixtures/sipp/. */
export const SIPP_SCENARIOS = fileURLToPath(new URL('../fixtures/sipp/', import.meta.url));

export interface SippOptions {
  /** A scenario file in test/fixtures/sipp/ (`'register-auth.xml'`), or one of sipp's own (`{ builtIn: 'uac' }`). */
  scenario: string | { builtIn: string };
  /** host:port of the element under test. */
  target: string;
  /** Calls to place before sipp stops (`-m`); default 1. */
  calls?: number;
  /** Calls started per second (`-r`); sipp's default is 10. */
  rate?: number;
  /** Anything else, e.g. `['-s', 'alice', '-au', 'alice', '-ap', 'secret']`. */
  args?: string[];
  /** sipp's own global timeout (`-timeout`, with `-timeout_error`); the helper kills it 5 s later. Default 10 s. */
  timeoutMs?: number;
}

/** One SIP message as sipp logged it with `-trace_msg`. */
export interface SippMessage {
  direction: 'sent' | 'received';
  /** The message as sipp sent or received it (CRLF line ends). */
  text: string;
  startLine: string;
  callId: string | undefined;
}

export interface SippRun {
  /**
   * sipp's exit status: 0 every call succeeded, 1 at least one failed, 97 stopped by a command,
   * 99 normal exit without any call, 255 fatal error (also `-timeout_error`), 254 cannot bind.
   * null when the helper had to kill it.
   */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The UDP port sipp sent from (`-p`), so a test can recognise its Contact. */
  localPort: number;
  /** Every message sipp sent or received, in order (`-trace_msg`). */
  messages: SippMessage[];
  /** sipp's error log (`-trace_err`): why it aborted a call, what it could not map. */
  errors: string;
  /** What the scenario's `<log>` actions wrote (`-trace_logs`). */
  logs: string;
  /** A cumulative counter of sipp's statistics at the end of the run (`-trace_stat`), e.g. `'SuccessfulCall(C)'`. */
  counter(name: string): number;
  /** The run in a few lines, for assertion messages. */
  summary(): string;
}

/**
 * Runs sipp (Debian's sip-tester) as a separate process against an element in this process.
 * Never run sipp synchronously: the element under test lives on this event loop and must keep
 * answering while sipp waits. Its logs go to a temporary folder that is read and removed.
 */
export async function runSipp(options: SippOptions): Promise<SippRun> {
  const run = await runSippOnce(options);
  // 254: sipp could not bind the port freeUdpPort found, because another process took it in
  // between (test files run in parallel). A new port, once.
  return run.exitCode === 254 ? runSippOnce(options) : run;
}

async function runSippOnce(options: SippOptions): Promise<SippRun> {
  const dirs = tempDirs();
  const dir = dirs.make('chordline-sipp-');
  const files = {
    messages: join(dir, 'messages.log'),
    errors: join(dir, 'errors.log'),
    logs: join(dir, 'logs.log'),
    stats: join(dir, 'stats.csv'),
  };
  const localPort = await freeUdpPort();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const scenario =
    typeof options.scenario === 'string'
      ? ['-sf', join(SIPP_SCENARIOS, options.scenario)]
      : ['-sn', options.scenario.builtIn];
  const args = [
    ...scenario,
    ...(options.args ?? []),
    '-m',
    String(options.calls ?? 1),
    ...(options.rate === undefined ? [] : ['-r', String(options.rate)]),
    '-i',
    '127.0.0.1',
    '-p',
    String(localPort),
    '-bind_local',
    '-nostdin',
    '-timeout',
    `${Math.ceil(timeoutMs / 1000)}s`,
    '-timeout_error',
    '-trace_msg',
    '-message_file',
    files.messages,
    '-trace_err',
    '-error_file',
    files.errors,
    '-trace_logs',
    '-log_file',
    files.logs,
    '-trace_stat',
    '-stf',
    files.stats,
    options.target,
  ];
  try {
    const exit = await spawnAndWait('sipp', args, dir, timeoutMs + 5000);
    const stats = readStats(files.stats);
    const run: SippRun = {
      ...exit,
      localPort,
      messages: parseMessageLog(readIfAny(files.messages)),
      errors: readIfAny(files.errors),
      logs: readIfAny(files.logs),
      counter(name) {
        const value = stats.get(name);
        if (value === undefined) throw new Error(`sipp wrote no statistic "${name}"\n${run.summary()}`);
        return Number(value);
      },
      summary() {
        const lines = run.messages.map((m) => `${m.direction === 'sent' ? '>>>' : '<<<'} ${m.startLine}`);
        return [
          `sipp ${args.join(' ')}`,
          `exit ${exit.exitCode ?? exit.signal}`,
          ...lines,
          exit.stderr.trim(),
          run.errors.trim().slice(0, 2000),
        ]
          .filter(Boolean)
          .join('\n');
      },
    };
    return run;
  } finally {
    dirs.cleanup();
  }
}

function spawnAndWait(
  command: string,
  args: string[],
  cwd: string,
  killAfterMs: number,
): Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // sipp's -timeout normally ends it first; this only catches a sipp that hangs.
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(killer);
      reject(
        error.code === 'ENOENT'
          ? new Error('sipp is not installed: on Debian/Ubuntu, apt-get install sip-tester (see README)')
          : error,
      );
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(killer);
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
}

/** A UDP port nobody holds right now on 127.0.0.1 (the OS picks it; we let go of it for sipp). */
export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function readIfAny(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
}

/** sipp's -trace_stat file: `;`-separated, a header row, then one row per dump; the last is the end of the run. */
function readStats(path: string): Map<string, string> {
  const rows = readIfAny(path)
    .split('\n')
    .filter((line) => line.trim() !== '');
  if (rows.length < 2) return new Map();
  const names = rows[0].split(';');
  const values = rows[rows.length - 1].split(';');
  return new Map(names.map((name, i) => [name, values[i] ?? '']));
}

/**
 * sipp's -trace_msg file: each message follows a line of dashes with a time stamp and a line
 * "UDP message sent (N bytes):" or "UDP message received [N] bytes :", then an empty line.
 */
export function parseMessageLog(log: string): SippMessage[] {
  const marker = /^-{20,} [^\n]*\nUDP message (sent|received)[^\n]*\n\n/gm;
  const found = [...log.matchAll(marker)];
  return found.map((match, i) => {
    const start = match.index + match[0].length;
    const end = i + 1 < found.length ? found[i + 1].index : log.length;
    const text = log.slice(start, end).replace(/\n+$/, '');
    return {
      direction: match[1] as 'sent' | 'received',
      text,
      startLine: text.split(/\r?\n/, 1)[0],
      callId: /^(?:Call-ID|i)\s*:\s*(.+?)\r?$/im.exec(text)?.[1],
    };
  });
}
