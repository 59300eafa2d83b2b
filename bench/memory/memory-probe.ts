/**
 * Loaded with `--import` into a process whose memory the benchmark reads (the real CLI peer):
 * answers "memory" over the IPC channel with process.memoryUsage(), after a full GC when asked
 * and when node runs with --expose-gc. It adds no timer and unrefs the channel, so the process
 * leaves exactly when it would without it.
 */
interface ProbeRequest {
  type: 'memory';
  gc: boolean;
}

if (process.send) {
  process.channel?.unref();
  process.on('message', (message: ProbeRequest) => {
    if (message?.type !== 'memory') return;
    const collect = (globalThis as { gc?: () => void }).gc;
    if (message.gc && collect) collect();
    process.send?.({ type: 'memory', usage: process.memoryUsage(), gc: Boolean(message.gc && collect) });
  });
}
