import { existsSync } from 'node:fs';
import { CHROMIUM } from '../test/e2e/voice/voice-stage.ts';
import { loginBench } from './login/run.ts';
import type { LoginLevel } from './login/run.ts';
import { identityBench } from './identity/run.ts';
import type { IdentityRun } from './identity/run.ts';
import { describeMachine } from './machine.ts';
import type { Machine } from './machine.ts';
import { memoryBench } from './memory/run.ts';
import type { MemoryReading } from './memory/run.ts';
import { registerBench } from './register/run.ts';
import type { RegisterRun } from './register/run.ts';
import { ringBench } from './ring/run.ts';
import type { RingRun } from './ring/run.ts';
import { hasSipp, sippOptionsBench } from './sipp/run.ts';
import type { SippRun } from './sipp/run.ts';
import { voiceBench } from './voice/run.ts';
import type { VoiceRun } from './voice/run.ts';
import { waitForQuiet } from './quiet-machine.ts';
import { canPin, isInterrupted, stopAllWorkers } from './worker-host.ts';

export const BENCHMARKS = ['register', 'options', 'login', 'memory', 'ring', 'identity', 'voice'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

export interface SuiteOptions {
  benchmarks: BenchmarkName[];
  runs: number;
  quick: boolean;
  /** Folder for V8 CPU profiles of the node under test and the login server. */
  cpuProfileDir?: string;
  /** Fixes the rings' join order, bootstrap choices and keys (NodeIDs are new each run). */
  seed?: number;
  log: (line: string) => void;
}

export interface SuiteResult {
  machine: Machine;
  pinned: boolean;
  quick: boolean;
  register: RegisterRun[];
  options: SippRun[];
  /** Why the sipp baseline did not run, if it did not. */
  optionsSkipped?: string;
  login: LoginLevel[][];
  memory: MemoryReading[][];
  ring: RingRun[];
  /** chord and onehop side by side at each size, with a switch each way. */
  identity: IdentityRun[];
  voice: VoiceRun[];
  /** Why the voice benchmark did not run, if it did not. */
  voiceSkipped?: string;
  /** Runs that started while other processes kept the machine busy (they waited up to 2 minutes). */
  noisy: string[];
}

/**
 * Runs the chosen benchmarks `runs` times each, every run with fresh processes, and returns
 * every run's result. Each benchmark stops its own processes; `stopAllWorkers` at the end is the
 * safety net for one that failed half-way.
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const { log, quick } = options;
  const machine = describeMachine();
  const pinned = canPin(machine.cpus);
  const result: SuiteResult = {
    machine,
    pinned,
    quick,
    register: [],
    options: [],
    login: [],
    memory: [],
    ring: [],
    identity: [],
    voice: [],
    noisy: [],
  };
  const want = (name: BenchmarkName) => options.benchmarks.includes(name);
  const start = async (what: string) => {
    log(what);
    const q = await waitForQuiet({ maxWaitSeconds: quick ? 10 : 120 });
    if (q.waitedSeconds > 5) log(`  (waited ${q.waitedSeconds.toFixed(0)} s for other processes to finish)`);
    if (!q.quiet && !isInterrupted()) {
      log(`  (the machine stayed ${((q.lastBusy ?? 0) * 100).toFixed(0)} % busy: measuring anyway)`);
      result.noisy.push(what);
    }
  };
  try {
    for (let run = 1; run <= options.runs; run++) {
      const of = `run ${run}/${options.runs}`;
      if (want('register')) {
        await start(`signed REGISTER, open loop (${of})`);
        result.register.push(
          await registerBench({
            stepSeconds: quick ? 2 : 5,
            cpus: pinned ? { node: 0, load: 1 } : undefined,
            cpuProfileDir: options.cpuProfileDir,
            log,
          }),
        );
      }
      if (want('options')) {
        if (!hasSipp()) result.optionsSkipped = 'sipp is not installed (Debian package sip-tester)';
        else {
          await start(`unsigned OPTIONS from sipp (${of})`);
          result.options.push(
            await sippOptionsBench({
              stepSeconds: quick ? 2 : 5,
              cpus: pinned ? { node: 0, load: 1 } : undefined,
              log,
            }),
          );
        }
      }
      if (want('login')) {
        await start(`logins at the login server (${of})`);
        result.login.push(
          await loginBench({
            seconds: quick ? 2 : 5,
            concurrency: quick ? [16] : [1, 16, 64],
            cpus: pinned ? { server: 0, clients: 1 } : undefined,
            cpuProfileDir: options.cpuProfileDir,
            log,
          }),
        );
      }
      if (want('memory')) {
        await start(`idle memory of a headless peer (${of})`);
        result.memory.push(await memoryBench({ settleSeconds: quick ? 10 : 30, log }));
      }
      if (want('ring')) {
        await start(`the Chord ring of ${quick ? 100 : 200} peers (${of})`);
        result.ring.push(await ringBench({ quick, seed: options.seed, log }));
      }
      if (want('identity')) {
        const sizes = quick ? '20 and 50' : '20, 100 and 200';
        await start(`the identity layer's algorithms side by side at ${sizes} peers (${of})`);
        result.identity.push(await identityBench({ quick, seed: options.seed, log }));
      }
      if (want('voice')) {
        if (!existsSync(CHROMIUM))
          result.voiceSkipped = `no Chromium at ${CHROMIUM} (Debian package chromium)`;
        else {
          await start(`voice between two phones in Chromium (${of})`);
          result.voice.push(
            await voiceBench({
              calls: quick ? 5 : 20,
              cpuSeconds: quick ? 5 : 20,
              beeps: quick ? 5 : 20,
              log,
            }),
          );
        }
      }
    }
  } finally {
    await stopAllWorkers();
  }
  return result;
}
