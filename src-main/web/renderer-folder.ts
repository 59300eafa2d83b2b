import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { RENDERER_OUT } from './renderer-build.ts';
import type { UiFolder } from './web-server.ts';

const BUILD_PROCESS = fileURLToPath(new URL('./build-renderer-process.ts', import.meta.url));

/**
 * The folder browser mode serves the UI from, and how far it is: a folder given as is, or
 * out/renderer, checked and if need be built in a child process (build-renderer-process.ts)
 * while the phone already runs; pages asked for meanwhile say "being built" and reload.
 */
export class RendererFolder {
  private state: UiFolder;
  private child: ChildProcess | undefined;

  private constructor(state: UiFolder) {
    this.state = state;
  }

  static fixed(dir: string): RendererFolder {
    return new RendererFolder({ state: 'ready', dir });
  }

  /** Starts the check/build; `onProblem` hears, in one line, why the UI is not available. */
  static build(onProblem: (why: string) => void): RendererFolder {
    const folder = new RendererFolder({ state: 'building' });
    const child = spawn(process.execPath, ['--import', 'tsx', BUILD_PROCESS], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    folder.child = child;
    let said = '';
    child.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
    child.on('error', (error) => {
      folder.state = { state: 'missing', why: `the UI could not be built (${error.message})` };
      onProblem(folder.state.why);
    });
    child.on('exit', (code, signal) => {
      folder.child = undefined;
      if (signal) return;
      if (code === 0) {
        folder.state = { state: 'ready', dir: RENDERER_OUT };
        return;
      }
      const line = said.trim().split('\n')[0] || `exit ${code}`;
      folder.state = { state: 'missing', why: code === 2 ? line : `the UI could not be built: ${line}` };
      onProblem(folder.state.why);
    });
    return folder;
  }

  current(): UiFolder {
    return this.state;
  }

  /** Stops a build still running (and removes what it left half-written). Safe twice. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    this.child = undefined;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
    await rm(`${RENDERER_OUT}.building-${child.pid}`, { recursive: true, force: true });
  }
}
