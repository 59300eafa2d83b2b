import { busyFraction, coreTicks } from '../core-busy.ts';
import type { LoginServerStart, LoginServerStarted } from '../login-server-worker.ts';
import { cpuSpentUs } from '../process-cpu.ts';
import type { ProcessCpu } from '../process-cpu.ts';
import { Worker } from '../worker-host.ts';
import type { ClientRun, ClientRunResult, ClientSetup } from './client-worker.ts';

export interface LoginBenchOptions {
  /** Seconds each concurrency level runs. */
  seconds: number;
  /** Logins in flight, one level after another. */
  concurrency: number[];
  cpus?: { server: number; clients: number };
  /** Write a V8 CPU profile of the login server into this folder. */
  cpuProfileDir?: string;
  log: (line: string) => void;
}

export interface LoginLevel {
  concurrency: number;
  loginsPerSecond: number;
  completed: number;
  failed: number;
  failures: Record<string, number>;
  retransmissions: number;
  p50Ms: number;
  p95Ms: number;
  /** Login server CPU per completed login, microseconds, and its share of one core. */
  serverCpuUs: number;
  serverCores: number;
  sampleVerified: string;
  exhausted: boolean;
  foreignOnServerCore: number | undefined;
}

const DOMAIN = 'bench.example';
const USERS = 64;
/** Logins signed in advance per second of a level: above any rate seen on one core. */
const POOL_PER_SECOND = 1_000;

/**
 * Full logins per second at the login server (Figure 2 (b): REGISTER → 401 → REGISTER with
 * digest → certificate issued → 200 with the signed CertificateIssued). The login server runs
 * alone in its process (pinned to one core); the clients run in another.
 */
export async function loginBench(options: LoginBenchOptions): Promise<LoginLevel[]> {
  const users: Array<[string, string]> = [];
  for (let i = 1; i <= USERS; i++) users.push([`user${i}`, `user${i}-password`]);
  const workers: Worker[] = [];
  try {
    const ls = await Worker.start('login server', './login-server-worker.ts', {
      cpu: options.cpus?.server,
      nodeFlags: options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [],
    });
    workers.push(ls);
    const started = await ls.call<LoginServerStarted>('start', {
      domain: DOMAIN,
      users,
    } satisfies LoginServerStart);
    const clients = await Worker.start('login clients', './login/client-worker.ts', {
      cpu: options.cpus?.clients,
    });
    workers.push(clients);
    await clients.call(
      'setup',
      { loginServer: started.uri, domain: DOMAIN, caCertPem: started.caCertPem, users } satisfies ClientSetup,
      120_000,
    );
    // Not measured: lets V8 compile the login server's hot paths.
    await level(ls, clients, 8, 2, options.cpus?.server);
    const levels: LoginLevel[] = [];
    for (const concurrency of options.concurrency) {
      const result = await level(ls, clients, concurrency, options.seconds, options.cpus?.server);
      levels.push(result);
      options.log(
        `    ${String(concurrency).padStart(3)} in flight  ${result.loginsPerSecond.toFixed(0)} logins/s` +
          `  p50 ${result.p50Ms.toFixed(1)} ms  p95 ${result.p95Ms.toFixed(1)} ms  failed ${result.failed}  resent ${result.retransmissions}` +
          (result.failed > 0 ? ` ${JSON.stringify(result.failures)}` : '') +
          `  server ${result.serverCpuUs.toFixed(0)} µs/login (${result.serverCores.toFixed(2)} cores)` +
          `  verified ${result.sampleVerified}` +
          (result.foreignOnServerCore === undefined
            ? ''
            : `  others on its core ${(result.foreignOnServerCore * 100).toFixed(0)} %`),
      );
    }
    return levels;
  } finally {
    for (const w of workers.reverse()) await w.stop();
  }
}

async function level(
  ls: Worker,
  clients: Worker,
  concurrency: number,
  seconds: number,
  serverCpu: number | undefined,
): Promise<LoginLevel> {
  await clients.call('prepare', { count: Math.ceil(seconds * POOL_PER_SECOND) }, 300_000);
  const before = await ls.call<ProcessCpu>('cpu');
  const core0 = serverCpu === undefined ? undefined : coreTicks(serverCpu);
  const t0 = performance.now();
  const result = await clients.call<ClientRunResult>(
    'run',
    { concurrency, durationMs: seconds * 1000, timeoutMs: 5_000 } satisfies ClientRun,
    (seconds + 30) * 1000,
  );
  const after = await ls.call<ProcessCpu>('cpu');
  const wallUs = (performance.now() - t0) * 1000;
  const coreBusy = serverCpu === undefined ? undefined : busyFraction(core0, coreTicks(serverCpu));
  const spent = cpuSpentUs(before, after);
  return {
    concurrency,
    loginsPerSecond: result.completed / (result.elapsedMs / 1000),
    completed: result.completed,
    failed: result.failed,
    failures: result.failures,
    retransmissions: result.retransmissions,
    p50Ms: result.latencyMs.p50,
    p95Ms: result.latencyMs.p95,
    serverCpuUs: result.completed > 0 ? spent / result.completed : NaN,
    serverCores: spent / wallUs,
    sampleVerified: `${result.sampleVerified}/${result.sampled}`,
    exhausted: result.exhausted,
    foreignOnServerCore: coreBusy === undefined ? undefined : Math.max(0, coreBusy - spent / wallUs),
  };
}
