import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each operation checks its own arguments' shape
export type Operations = Record<string, (args: any) => unknown>;

/**
 * The worker side of worker-host.ts: answers calls by name, then says it is ready. `cleanUp`
 * runs once, whichever way the worker leaves: asked to (SIGTERM), orphaned (the parent's IPC
 * channel closed) or an uncaught error.
 */
export function serveWorker(operations: Operations, cleanUp: () => void | Promise<void> = () => {}): void {
  let leaving = false;
  const leave = async (code: number) => {
    if (leaving) return;
    leaving = true;
    try {
      await cleanUp();
    } finally {
      process.exit(code);
    }
  };
  process.on('SIGTERM', () => void leave(0));
  process.on('SIGINT', () => void leave(0));
  process.on('disconnect', () => void leave(0));
  process.on('uncaughtException', (error) => {
    process.stderr.write(`bench worker: ${error.stack ?? error.message}\n`);
    void leave(1);
  });
  process.on('message', (message: WorkerRequest) => {
    if (message.type !== 'call') return;
    const operation = operations[message.op];
    const reply = (r: WorkerReply) => {
      if (process.connected) process.send?.(r);
    };
    if (!operation) {
      reply({ type: 'reply', id: message.id, ok: false, error: `unknown operation ${message.op}` });
      return;
    }
    Promise.resolve()
      .then(() => operation(message.args))
      .then(
        (value) => reply({ type: 'reply', id: message.id, ok: true, value }),
        (error: unknown) =>
          reply({
            type: 'reply',
            id: message.id,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
          }),
      );
  });
  process.send?.({ type: 'ready' } satisfies WorkerReply);
}
