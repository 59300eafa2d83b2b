import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoginServerStart, LoginServerStarted } from '../login-server-worker.ts';
import { tempFolders } from '../temp-folders.ts';
import { forkTracked, isInterrupted, stopProcess, Worker } from '../worker-host.ts';

export interface MemoryBenchOptions {
  /** Longest wait for the memory to settle. */
  settleSeconds: number;
  log: (line: string) => void;
}

export interface MemoryReading {
  /** What was measured. */
  what: string;
  /** Resident set size once settled, then after a full GC. */
  rssMB: number;
  rssAfterGcMB: number;
  heapUsedAfterGcMB: number;
  heapTotalMB: number;
  externalMB: number;
  settledAfterSeconds: number;
}

const PROBE = fileURLToPath(new URL('./memory-probe.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/chordline.js', import.meta.url));
const IDLE = fileURLToPath(new URL('./idle-node.ts', import.meta.url));
const DOMAIN = 'bench.example';
/** Settled: the last STABLE_SAMPLES readings, one a second, within 1 % of each other. */
const STABLE_SAMPLES = 10;
const MIN_SECONDS = 10;

/**
 * Idle memory of the real headless peer, `chordline peer`, after a real login, measured from
 * inside through a probe loaded with --import (heap figures need the process itself). Beside it,
 * the same node with tsx and the probe and nothing else, to show what is Chordline's.
 */
export async function memoryBench(options: MemoryBenchOptions): Promise<MemoryReading[]> {
  const folders = tempFolders();
  let ls: Worker | undefined;
  const children: ChildProcess[] = [];
  try {
    ls = await Worker.start('login server', './login-server-worker.ts');
    const started = await ls.call<LoginServerStarted>('start', {
      domain: DOMAIN,
      users: [['idle', 'idle-password']],
    } satisfies LoginServerStart);
    const flags = ['--import', PROBE, '--expose-gc'];

    const peer = forkTracked(
      CLI,
      [
        'peer',
        '--data',
        folders.make('peer'),
        '--ls',
        started.uri,
        '--user',
        'idle',
        '--password',
        'idle-password',
        '--passphrase',
        'idle passphrase',
        '--json',
      ],
      flags,
    );
    children.push(peer);
    await untilOutput(peer, /^\{.*"nodeId"/m, 60_000);
    const readings = [await settle(peer, '`chordline peer`, logged in, idle', options)];

    const idle = forkTracked(IDLE, [], flags);
    children.push(idle);
    readings.push(await settle(idle, 'node + tsx + probe, nothing else (baseline)', options));
    return readings;
  } finally {
    for (const child of children) await stopProcess(child);
    await ls?.stop();
    folders.removeAll();
  }
}

async function settle(
  child: ChildProcess,
  what: string,
  options: MemoryBenchOptions,
): Promise<MemoryReading> {
  const rss: number[] = [];
  const start = performance.now();
  let seconds = 0;
  while (seconds < options.settleSeconds && !isInterrupted()) {
    await sleep(1_000);
    seconds = (performance.now() - start) / 1000;
    rss.push((await memoryOf(child, false)).rss);
    const last = rss.slice(-STABLE_SAMPLES);
    if (
      seconds >= MIN_SECONDS &&
      last.length === STABLE_SAMPLES &&
      Math.max(...last) <= Math.min(...last) * 1.01
    )
      break;
  }
  const settled = rss[rss.length - 1];
  await memoryOf(child, true);
  await sleep(1_000);
  const after = await memoryOf(child, true);
  const mb = (bytes: number) => bytes / 2 ** 20;
  const reading = {
    what,
    rssMB: mb(settled),
    rssAfterGcMB: mb(after.rss),
    heapUsedAfterGcMB: mb(after.heapUsed),
    heapTotalMB: mb(after.heapTotal),
    externalMB: mb(after.external),
    settledAfterSeconds: Math.round(seconds),
  };
  options.log(
    `    ${what}: RSS ${reading.rssMB.toFixed(1)} MB (after GC ${reading.rssAfterGcMB.toFixed(1)} MB),` +
      ` heapUsed ${reading.heapUsedAfterGcMB.toFixed(1)} MB, settled after ${reading.settledAfterSeconds} s`,
  );
  return reading;
}

function memoryOf(child: ChildProcess, gc: boolean): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('the measured process did not answer the memory probe within 5 s'));
    }, 5_000);
    const onMessage = (message: { type?: string; usage?: NodeJS.MemoryUsage }) => {
      if (message?.type !== 'memory' || !message.usage) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message.usage);
    };
    child.on('message', onMessage);
    child.send({ type: 'memory', gc });
  });
}

/** Resolves when the child prints a line matching `pattern`; rejects on exit or after `timeoutMs`. */
function untilOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let errors = '';
    const timer = setTimeout(
      () => done(new Error(`the peer did not log in within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) done();
    };
    const onErr = (chunk: Buffer) => (errors += chunk.toString());
    const onExit = (code: number | null) => done(new Error(`the peer exited (${code}): ${errors.trim()}`));
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      // Keep reading (and dropping) what the peer prints, so that its pipe never fills.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
