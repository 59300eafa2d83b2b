import type { LoginServerStart, LoginServerStarted } from '../login-server-worker.ts';
import { waitForQuiet } from '../quiet-machine.ts';
import { Worker } from '../worker-host.ts';
import type { LoadSetup } from './load-worker.ts';
import type { NodeStart } from './node-worker.ts';
import { describeStep, registerStep } from './register-step.ts';
import type { RegisterStep } from './register-step.ts';

export type { RegisterStep } from './register-step.ts';

export interface RegisterBenchOptions {
  /** Seconds each offered rate is held. */
  stepSeconds: number;
  /** CPUs to pin the node and the load generator to, when pinning is possible. */
  cpus?: { node: number; load: number };
  /** Write a V8 CPU profile of the node under test into this folder. */
  cpuProfileDir?: string;
  log: (line: string) => void;
}

export interface RegisterRun {
  /** Highest offered rate with ≥ 99.9 % 200 OK, no timeouts and every sampled signature good. */
  maxRate: number;
  best: RegisterStep | undefined;
  steps: RegisterStep[];
  /** Flat out: WINDOW requests kept in flight, after the open-loop steps. */
  flatOut: RegisterStep;
}

const DOMAIN = 'bench.example';
const IDENTITIES = 8;
const COARSE_STEP = 250;
/** In flight at once in the flat-out step: enough to keep the node busy, few enough to fit its receive buffer. */
const WINDOW = 32;
const MAX_RATE = 10_000;
const BISECTIONS = 2;
/** A step that fails while other processes took more than this share of the node's core runs again, once. */
const NOISY = 0.05;
/** Not measured: lets V8 compile the hot paths before the first counted step. */
const WARM_UP = { rate: 300, seconds: 3 };

/**
 * Signed REGISTER transactions per second that one node handles on one core: a real login
 * server, a real PeerNode logged in to it (its own process, pinned to its own core), and an
 * open-loop load generator on the other core. Offered rates rise by 250/s until a step fails,
 * then two bisections narrow the knee. A last step keeps 32 requests in flight: what the node
 * does flat out when no datagram is lost.
 */
export async function registerBench(options: RegisterBenchOptions): Promise<RegisterRun> {
  const { log } = options;
  const users: Array<[string, string]> = [['node', 'node-password']];
  for (let i = 1; i <= IDENTITIES; i++) users.push([`load${i}`, `load${i}-password`]);
  const workers: Worker[] = [];
  try {
    const ls = await Worker.start('login server', './login-server-worker.ts', { cpu: options.cpus?.load });
    workers.push(ls);
    const started = await ls.call<LoginServerStarted>('start', {
      domain: DOMAIN,
      users,
    } satisfies LoginServerStart);
    const node = await Worker.start('node under test', './register/node-worker.ts', {
      cpu: options.cpus?.node,
      nodeFlags: [
        '--expose-gc',
        ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []),
      ],
    });
    workers.push(node);
    const nodeAor = `sip:node@${DOMAIN}`;
    const { uri } = await node.call<{ uri: string }>('start', {
      loginServer: started.uri,
      aor: nodeAor,
      password: 'node-password',
    } satisfies NodeStart);
    const load = await Worker.start('load generator', './register/load-worker.ts', {
      cpu: options.cpus?.load,
    });
    workers.push(load);
    const setup = await load.call<{ warmUp: string }>(
      'setup',
      {
        loginServer: started.uri,
        domain: DOMAIN,
        users: users.slice(1),
        node: { uri, aor: nodeAor },
      } satisfies LoadSetup,
      120_000,
    );
    log(`  register: node ${uri}, ${IDENTITIES} identities, warm-up ${setup.warmUp}`);

    const nodeCpu = options.cpus?.node;
    await registerStep(node, load, { rate: WARM_UP.rate }, WARM_UP.seconds, nodeCpu);
    const steps: RegisterStep[] = [];
    const tryRate = async (rate: number): Promise<RegisterStep> => {
      let step = await registerStep(node, load, { rate }, options.stepSeconds, nodeCpu);
      log(describeStep(step));
      if (!step.pass && (step.foreignOnNodeCore ?? 0) > NOISY) {
        log("    (others were busy on the node's core: once more, when the machine is quiet)");
        await waitForQuiet({ maxWaitSeconds: 60 });
        step = await registerStep(node, load, { rate }, options.stepSeconds, nodeCpu);
        log(describeStep(step));
      }
      steps.push(step);
      return step;
    };

    let passed = 0;
    let failed = 0;
    for (let rate = COARSE_STEP; rate <= MAX_RATE; rate += COARSE_STEP) {
      if ((await tryRate(rate)).pass) passed = rate;
      else {
        failed = rate;
        break;
      }
    }
    for (let i = 0; i < BISECTIONS && failed > 0; i++) {
      const rate = Math.round((passed + failed) / 2 / 50) * 50;
      if (rate <= passed || rate >= failed) break;
      if ((await tryRate(rate)).pass) passed = rate;
      else failed = rate;
    }
    const best = steps.find((s) => s.rate === passed && s.pass);
    const flatOut = await registerStep(node, load, { window: WINDOW }, options.stepSeconds, nodeCpu);
    log(describeStep(flatOut));
    return { maxRate: passed, best, steps, flatOut };
  } finally {
    // Reverse order: the node stops before the login server it refreshes revocations from.
    for (const w of workers.reverse()) await w.stop();
  }
}
