import type { ChildProcess } from 'node:child_process';

/** How long Ctrl-C may take (calls hung up, the ring told) before the process is killed. */
const STOP_GRACE_MS = 10_000;

/**
 * The end of a chordline process a test started: `exited` with its exit code, and `stop()`:
 * Ctrl-C, then SIGKILL after a grace period (safe twice). A process the test forgets is killed
 * when the test process exits.
 */
export function gracefulChild(child: ChildProcess): {
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
} {
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  void exited.then(() => process.off('exit', kill));
  let stopping: Promise<number | null> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGINT');
      const timer = setTimeout(kill, STOP_GRACE_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    })());
  return { exited, stop };
}
