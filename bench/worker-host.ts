import { execFileSync, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

/** The repository root: workers run with it as their working folder. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** tsx's loader, resolved from here so that a worker starts whatever the caller's working folder. */
const TSX_LOADER = import.meta.resolve('tsx');

export interface WorkerOptions {
  /** Pin the process (all its threads) to this CPU with taskset, when there is one. */
  cpu?: number;
  /** Extra flags for node, e.g. `--expose-gc` or `--cpu-prof`. */
  nodeFlags?: string[];
  /** How long the worker may take to say it is ready. */
  readyTimeoutMs?: number;
}

/**
 * A benchmark worker: a TypeScript file run as its own Node process (`node --import tsx FILE`),
 * so that what it measures has a core of its own. Calls travel over the IPC channel; every call
 * has a time limit, and `stop()` (safe twice) ends the process, by SIGKILL if it does not leave.
 */
export class Worker {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  private exited = false;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.on('message', (message: WorkerReply) => {
      if (message.type !== 'reply') return;
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      clearTimeout(call.timer);
      if (message.ok) call.resolve(message.value);
      else call.reject(new Error(`${this.name}: ${message.error}`));
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      running.delete(this);
      for (const call of this.pending.values()) {
        clearTimeout(call.timer);
        call.reject(new Error(`${this.name} exited (${signal ?? code}) before answering`));
      }
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start(name: string, file: string, options: WorkerOptions = {}): Promise<Worker> {
    if (interrupted) throw new BenchInterruptedError();
    const child = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', TSX_LOADER, ...(options.nodeFlags ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const worker = new Worker(name, child);
    running.add(worker);
    await worker.ready(options.readyTimeoutMs ?? 30_000);
    if (options.cpu !== undefined) pin(worker.pid, options.cpu);
    return worker;
  }

  /** Runs `op` in the worker and resolves with its answer; rejects after `timeoutMs`. */
  call<T>(op: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${op} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      const request: WorkerRequest = { type: 'call', id, op, args };
      this.child.send(request);
    });
  }

  /** Asks the worker to leave (it cleans its folders), then kills it if it has not within 5 s. */
  async stop(): Promise<void> {
    if (!this.exited) await stopProcess(this.child);
  }

  private ready(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`${this.name} did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: WorkerReply) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve();
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code}) while starting`));
      });
    });
  }
}

const running = new Set<Worker>();
const others = new Set<ChildProcess>();

/**
 * Starts a Node process that is not a worker (the real CLI, say) with tsx and `nodeFlags`, an
 * IPC channel and piped output, and includes it in `stopAllWorkers`.
 */
export function forkTracked(file: string, args: string[], nodeFlags: string[] = []): ChildProcess {
  if (interrupted) throw new BenchInterruptedError();
  const child = fork(file, args, {
    cwd: REPO_ROOT,
    execArgv: ['--import', TSX_LOADER, ...nodeFlags],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return trackProcess(child);
}

/** Includes a process this module did not start (sipp, say) in `stopAllWorkers`. */
export function trackProcess<C extends ChildProcess>(child: C): C {
  if (interrupted) {
    child.kill('SIGKILL');
    throw new BenchInterruptedError();
  }
  others.add(child);
  child.once('exit', () => others.delete(child));
  return child;
}

/** Ends a process: SIGTERM, then SIGKILL if it has not left within 5 s. Safe twice. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}

/** Stops every process still running: the one clean-up a benchmark run ends with, whatever happened. */
export async function stopAllWorkers(): Promise<void> {
  await Promise.all([...[...running].map((w) => w.stop()), ...[...others].map(stopProcess)]);
}

export class BenchInterruptedError extends Error {
  constructor() {
    super('the benchmark was interrupted');
    this.name = 'BenchInterruptedError';
  }
}

let interrupted = false;

/**
 * Ctrl-C or SIGTERM: no new process starts from now on, and those running are stopped, so that
 * whatever the benchmark was waiting for fails and it unwinds through its clean-ups.
 */
export function isInterrupted(): boolean {
  return interrupted;
}

export function interruptAll(): Promise<void> {
  interrupted = true;
  return stopAllWorkers();
}

// Last resort when the parent itself is leaving: no child outlives it.
process.on('exit', () => {
  for (const w of running) w.child.kill('SIGKILL');
  for (const child of others) child.kill('SIGKILL');
});

/** Whether `taskset` can pin processes here (Linux with util-linux, more than one CPU). */
export function canPin(cpus: number): boolean {
  if (process.platform !== 'linux' || cpus < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins every thread of `pid` to `cpu`; threads it starts later inherit the mask. */
function pin(pid: number, cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}
