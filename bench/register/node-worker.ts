/**
 * The node under test: a real PeerNode, logged in to the real login server, alone in its process
 * (and, where taskset exists, alone on its core). Run by worker-host.ts.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PeerNode } from '../../src-main/app/peer-node.ts';
import { processCpu } from '../process-cpu.ts';
import type { ProcessCpu } from '../process-cpu.ts';
import { tempFolders } from '../temp-folders.ts';
import { serveWorker } from '../worker-serve.ts';

export interface NodeStart {
  loginServer: string;
  aor: string;
  password: string;
}

export interface NodeReading extends ProcessCpu {
  verified: number;
  refused: number;
  received: number;
  sent: number;
  retransmissionsAbsorbed: number;
  heapUsedBytes: number;
  /** Longest and 99th-percentile event-loop delay since the previous reading, ms. */
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
}

/**
 * How long the event loop was kept from running (GC, long handlers): while it is held up, the
 * datagrams wait in the socket's receive buffer, and those that do not fit are lost.
 */
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

const folders = tempFolders();
let node: PeerNode | undefined;
let errors = 0;

serveWorker(
  {
    async start({ loginServer, aor, password }: NodeStart): Promise<{ uri: string }> {
      node = await PeerNode.open({
        dataDir: folders.make('node'),
        passphrase: 'bench passphrase',
        host: '127.0.0.1',
        port: 0,
        onError: () => errors++,
      });
      await node.login({ loginServer, aor, password });
      return { uri: node.uri };
    },
    read(): NodeReading & { errors: number } {
      const sip = node?.stack.stats;
      const reading = {
        ...processCpu(),
        verified: node?.stats.verified ?? 0,
        refused: node?.stats.refused ?? 0,
        received: sip?.received ?? 0,
        sent: sip?.sent ?? 0,
        retransmissionsAbsorbed: sip?.retransmissionsAbsorbed ?? 0,
        heapUsedBytes: process.memoryUsage().heapUsed,
        loopDelayMaxMs: loopDelay.max / 1e6,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        errors,
      };
      loopDelay.reset();
      return reading;
    },
    /** A full GC (the worker runs with --expose-gc), then the heap: what the node still holds. */
    collect(): { heapUsedBytes: number } {
      (globalThis as { gc?: () => void }).gc?.();
      return { heapUsedBytes: process.memoryUsage().heapUsed };
    },
  },
  () => {
    node?.stop();
    folders.removeAll();
  },
);
