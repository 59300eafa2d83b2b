import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** What `npm run build` (electron-vite) makes of src-main/index.ts. */
export const DESKTOP_MAIN = join(ROOT, 'out', 'main', 'index.js');
/** Electron that dies this soon with an error did not start (no display, missing libraries...). */
const EARLY_EXIT_MS = 4000;

export type DesktopLaunch = { started: true; exited: Promise<number> } | { started: false; why: string };

/**
 * Starts the desktop app (Electron running out/main/index.js) on the data folder, or says in
 * one line why it cannot, so that the caller serves the phone in a browser instead.
 *
 * The binary is looked up the way the `electron` package's index.js does, but without
 * requiring that file: it downloads the binary when it is missing, and it never can here.
 */
export async function launchDesktop(options: {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** The built main process; default out/main/index.js. */
  main?: string;
  earlyExitMs?: number;
}): Promise<DesktopLaunch> {
  const env = options.env ?? process.env;
  const binary = electronBinary(env);
  if (!binary)
    return { started: false, why: 'Electron is not installed here (its binary was never downloaded)' };
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { started: false, why: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  const main = options.main ?? DESKTOP_MAIN;
  if (!existsSync(main)) {
    return { started: false, why: 'the desktop app is not built yet (npm run build)' };
  }
  const childEnv = { ...env };
  // Inherited, it would make Electron a plain Node and the app would never open a window.
  delete childEnv.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [main, '--data', options.dataDir], {
    env: childEnv,
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let lastLine = '';
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    const lines = chunk.toString().trim().split('\n');
    lastLine = lines[lines.length - 1] || lastLine;
  });
  const exited = new Promise<number>((resolve) => {
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const early = await Promise.race([
    exited.then((code) => ({ code })),
    new Promise<undefined>((resolve) => {
      const timer: NodeJS.Timeout = setTimeout(
        () => resolve(undefined),
        options.earlyExitMs ?? EARLY_EXIT_MS,
      );
      timer.unref();
    }),
  ]);
  if (early && early.code !== 0) {
    return {
      started: false,
      why: `Electron stopped at once (exit ${early.code}${lastLine ? `: ${lastLine}` : ''})`,
    };
  }
  // Ctrl-C and SIGTERM stop the window, and this process waits for it to close (a terminal's
  // Ctrl-C reaches Electron anyway, as the same process group; a second signal is harmless).
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  void exited.then(() => {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  });
  return { started: true, exited };
}

/** The Electron executable, if the package's postinstall downloaded it (or an override names one). */
export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  let folder: string;
  try {
    folder = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  let relative: string | undefined;
  try {
    relative = readFileSync(join(folder, 'path.txt'), 'utf8').trim();
  } catch {
    relative = undefined;
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override
    ? join(override, relative || 'electron')
    : relative
      ? join(folder, 'dist', relative)
      : undefined;
  return binary && existsSync(binary) ? binary : undefined;
}
