/**
 * The REGISTER load generator, in its own process (and core) beside the node under test: logs
 * in a few identities, gives the node each one's certificate once, then offers pre-signed
 * REGISTERs at a fixed rate and counts the answers. Run by worker-host.ts.
 */
import type dgram from 'node:dgram';
import type { SipStack } from '../../src-main/sip/index.ts';
import { tempFolders } from '../temp-folders.ts';
import { udpReceiveBufferErrors } from '../udp-drops.ts';
import { bindLoadSocket, endpointOf } from '../udp-socket.ts';
import { serveWorker } from '../worker-serve.ts';
import { logInIdentities } from './bench-identities.ts';
import type { BenchIdentity } from './bench-identities.ts';
import { openLoop } from './open-loop.ts';
import type { TallyResult } from './answer-tally.ts';
import { closedLoop } from './closed-loop.ts';
import { responseVerifier } from './response-verifier.ts';
import { signedRegisters } from './signed-registers.ts';
import type { PreparedRequest } from './signed-registers.ts';

export interface LoadSetup {
  loginServer: string;
  domain: string;
  users: Array<[name: string, password: string]>;
  node: { uri: string; aor: string };
}

export interface LoadStep {
  rate: number;
  timeoutMs: number;
  /** Verify every n-th 200 after the window. */
  sampleEvery: number;
}

/** Keep `window` requests outstanding for `durationMs` (closed loop). */
export interface LoadWindow {
  window: number;
  durationMs: number;
  timeoutMs: number;
  sampleEvery: number;
}

export interface LoadStepResult extends Omit<TallyResult, 'sample'> {
  sampled: number;
  sampleVerified: number;
  /** Kernel drops for full receive buffers during the step, machine-wide (Linux). */
  receiveBufferDrops: number | undefined;
  /** From the first request to the last answer. */
  elapsedMs: number;
}

const folders = tempFolders();
let stack: SipStack | undefined;
let socket: dgram.Socket | undefined;
let identities: BenchIdentity[] = [];
let nodeUri = '';
let nodeEndpoint = { address: '127.0.0.1', port: 0 };
let verify: (text: string) => boolean = () => false;
let prepared: PreparedRequest[] = [];
let batch = 0;

serveWorker(
  {
    async setup(options: LoadSetup): Promise<{ identities: number; warmUp: string }> {
      const loggedIn = await logInIdentities({ ...options, folder: (name) => folders.make(name) });
      stack = loggedIn.stack;
      identities = loggedIn.identities;
      verify = responseVerifier(loggedIn.caCertPem, options.node.aor);
      nodeUri = options.node.uri;
      nodeEndpoint = endpointOf(nodeUri);
      socket = await bindLoadSocket();
      // Each identity's first request carries its whole certificate, as a real peer's would.
      const first = build(identities.length, 'certificate');
      const warm = await openLoop({
        socket,
        target: nodeEndpoint,
        requests: first,
        rate: 50,
        timeoutMs: 5_000,
        sampleEvery: 1,
      });
      const verified = warm.sample.filter(verify).length;
      if (warm.statuses['200'] !== first.length || verified !== first.length) {
        throw new Error(`warm-up failed: ${JSON.stringify(warm.statuses)}, ${verified} verified`);
      }
      return { identities: identities.length, warmUp: `${verified}/${first.length} verified` };
    },

    /** Signs the next step's requests while the node is idle; outside any measured window. */
    prepare({ count }: { count: number }): { count: number; ms: number } {
      const t0 = performance.now();
      prepared = [];
      prepared = build(count, 'certificate-ref');
      return { count, ms: performance.now() - t0 };
    },

    blast(step: LoadStep): Promise<LoadStepResult> {
      return measured((s, requests) =>
        openLoop({ socket: s, target: nodeEndpoint, requests, ...step }).then((r) => ({
          ...r,
          elapsedMs: r.sendMs,
        })),
      );
    },

    window(step: LoadWindow): Promise<LoadStepResult> {
      return measured((s, requests) => closedLoop({ socket: s, target: nodeEndpoint, requests, ...step }));
    },
  },
  () => {
    socket?.close();
    stack?.close();
    folders.removeAll();
  },
);

/** Runs a loop over the prepared requests, then counts drops and checks the sampled signatures. */
async function measured(
  loop: (s: dgram.Socket, requests: PreparedRequest[]) => Promise<TallyResult & { elapsedMs: number }>,
): Promise<LoadStepResult> {
  if (!socket) throw new Error('setup first');
  const drops0 = udpReceiveBufferErrors();
  const result = await loop(socket, prepared);
  const drops1 = udpReceiveBufferErrors();
  prepared = [];
  const { sample, ...rest } = result;
  return {
    ...rest,
    sampled: sample.length,
    sampleVerified: sample.filter(verify).length,
    receiveBufferDrops: drops0 === undefined || drops1 === undefined ? undefined : drops1 - drops0,
  };
}

function build(count: number, credential: 'certificate' | 'certificate-ref'): PreparedRequest[] {
  if (!stack || !socket) throw new Error('setup first');
  const { port } = socket.address();
  return signedRegisters({
    stack,
    identities,
    target: { uri: nodeUri },
    sentBy: `127.0.0.1:${port}`,
    count,
    batch: `${process.pid}b${batch++}`,
    credential,
  });
}
