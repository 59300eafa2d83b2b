import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoginServerStart, LoginServerStarted } from '../login-server-worker.ts';
import { busyFraction, coreTicks } from '../core-busy.ts';
import { cpuSpentUs } from '../process-cpu.ts';
import { waitForQuiet } from '../quiet-machine.ts';
import type { NodeReading, NodeStart } from '../register/node-worker.ts';
import { tempFolders } from '../temp-folders.ts';
import { endpointOf } from '../udp-socket.ts';
import { trackProcess, Worker } from '../worker-host.ts';

export interface SippBenchOptions {
  stepSeconds: number;
  cpus?: { node: number; load: number };
  log: (line: string) => void;
}

export interface SippStep {
  rate: number;
  offered: number;
  ok: number;
  failed: number;
  pass: boolean;
  nodeCpuUs: number;
  loopDelayMaxMs: number;
  foreignOnNodeCore: number | undefined;
}

export interface SippRun {
  maxRate: number;
  best: SippStep | undefined;
  steps: SippStep[];
}

const SCENARIO = fileURLToPath(new URL('./options.xml', import.meta.url));
const RATES = [500, 1_000, 1_500, 2_000, 2_500, 3_000, 3_500, 4_000, 5_000, 6_000, 8_000, 10_000];
/** A step that fails while other processes took more than this share of the node's core runs again, once. */
const NOISY = 0.05;

/** Whether sipp (Debian package sip-tester) is installed. */
export function hasSipp(): boolean {
  try {
    execFileSync('sipp', ['-v'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // sipp -v exits non-zero after printing its version; only "not found" means absent.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * The SIP stack alone, as a baseline for the signed REGISTERs: unsigned OPTIONS from sipp (no
 * retransmissions, 2 s to answer) to the same kind of node, at rising rates until a step has a
 * failed call.
 */
export async function sippOptionsBench(options: SippBenchOptions): Promise<SippRun> {
  const folders = tempFolders();
  const workers: Worker[] = [];
  try {
    const ls = await Worker.start('login server', './login-server-worker.ts', { cpu: options.cpus?.load });
    workers.push(ls);
    const started = await ls.call<LoginServerStarted>('start', {
      domain: 'bench.example',
      users: [['node', 'node-password']],
    } satisfies LoginServerStart);
    const node = await Worker.start('node under test', './register/node-worker.ts', {
      cpu: options.cpus?.node,
    });
    workers.push(node);
    const { uri } = await node.call<{ uri: string }>('start', {
      loginServer: started.uri,
      aor: 'sip:node@bench.example',
      password: 'node-password',
    } satisfies NodeStart);
    const target = endpointOf(uri);
    await sipp(target, 500, 2, folders.make('sipp'), options.cpus?.load); // warm-up, not counted
    const steps: SippStep[] = [];
    const nodeCpu = options.cpus?.node;
    const run = async (rate: number): Promise<SippStep> => {
      const before = await node.call<NodeReading>('read');
      const core0 = nodeCpu === undefined ? undefined : coreTicks(nodeCpu);
      const t0 = performance.now();
      const result = await sipp(target, rate, options.stepSeconds, folders.make('sipp'), options.cpus?.load);
      const after = await node.call<NodeReading>('read');
      const spent = cpuSpentUs(before, after);
      const coreBusy = nodeCpu === undefined ? undefined : busyFraction(core0, coreTicks(nodeCpu));
      const s: SippStep = {
        rate,
        ...result,
        pass: result.failed === 0 && result.ok === result.offered,
        nodeCpuUs: result.ok > 0 ? spent / result.ok : NaN,
        loopDelayMaxMs: after.loopDelayMaxMs,
        foreignOnNodeCore:
          coreBusy === undefined
            ? undefined
            : Math.max(0, coreBusy - spent / ((performance.now() - t0) * 1000)),
      };
      options.log(
        `    ${String(rate).padStart(5)}/s  ${s.pass ? 'pass' : 'FAIL'}  ok ${s.ok}/${s.offered}` +
          `  node ${s.nodeCpuUs.toFixed(0)} µs/OPTIONS  loop delay max ${s.loopDelayMaxMs.toFixed(0)} ms` +
          (s.foreignOnNodeCore === undefined
            ? ''
            : `  others on its core ${(s.foreignOnNodeCore * 100).toFixed(0)} %`),
      );
      return s;
    };
    for (const rate of RATES) {
      let s = await run(rate);
      if (!s.pass && (s.foreignOnNodeCore ?? 0) > NOISY) {
        options.log("    (others were busy on the node's core: once more, when the machine is quiet)");
        await waitForQuiet({ maxWaitSeconds: 60 });
        s = await run(rate);
      }
      steps.push(s);
      if (!s.pass) break;
    }
    const best = [...steps].reverse().find((s) => s.pass);
    return { maxRate: best?.rate ?? 0, best, steps };
  } finally {
    for (const w of workers.reverse()) await w.stop();
    folders.removeAll();
  }
}

/** One sipp run: `rate` calls per second for `seconds`; its statistics file gives the outcome. */
function sipp(
  target: { address: string; port: number },
  rate: number,
  seconds: number,
  dir: string,
  cpu: number | undefined,
): Promise<{ offered: number; ok: number; failed: number }> {
  const count = Math.round(rate * seconds);
  const stats = join(dir, 'stats.csv');
  const args = [
    ...['-sf', SCENARIO, '-s', 'node', '-nr', '-nostdin', '-bind_local', '-i', '127.0.0.1'],
    ...['-r', String(rate), '-rp', '1000', '-m', String(count), '-l', String(rate * 3)],
    ...['-timeout', `${seconds + 20}s`, '-trace_stat', '-stf', stats, '-fd', '3600'],
    ...['-trace_err', '-error_file', join(dir, 'errors.log')],
    `${target.address}:${target.port}`,
  ];
  const [command, argv] =
    cpu === undefined ? ['sipp', args] : ['taskset', ['-c', String(cpu), 'sipp', ...args]];
  return new Promise((resolve, reject) => {
    const child = trackProcess(spawn(command, argv, { cwd: dir, stdio: 'ignore' }));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      try {
        resolve({ offered: count, ...readStats(stats) });
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** The last line of sipp's -trace_stat file: cumulative successful and failed calls. */
function readStats(file: string): { ok: number; failed: number } {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const names = lines[0].split(';');
  const values = lines[lines.length - 1].split(';');
  const value = (name: string) => Number(values[names.indexOf(name)]);
  return { ok: value('SuccessfulCall(C)'), failed: value('FailedCall(C)') };
}
