/**
 * `node --import tsx build-renderer-process.ts`: builds the UI in a process of its own, so that
 * the phone that asked can stop at once (Ctrl-C) without waiting for Vite, and Vite's memory
 * goes away with it. Prints one line on failure; the exit status says how it went
 * (0 built or up to date, 2 no sources, 1 the build failed).
 */
import { ensureRendererBuilt, RendererMissingError } from './renderer-build.ts';

try {
  await ensureRendererBuilt();
  process.exitCode = 0;
} catch (error) {
  process.stderr.write(`${(error as Error).message.split('\n')[0]}\n`);
  process.exitCode = error instanceof RendererMissingError ? 2 : 1;
}
