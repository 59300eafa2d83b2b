import { existsSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed package) this file runs from. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const RENDERER_SOURCE = join(ROOT, 'src-renderer');
export const RENDERER_OUT = join(ROOT, 'out', 'renderer');
/** What the renderer imports besides its own folder: the contract and the WebSocket client. */
const RENDERER_INPUTS = [RENDERER_SOURCE, join(ROOT, 'src-main', 'ipc')];

export class RendererMissingError extends Error {
  constructor() {
    super(`the phone's screen has no sources (${join(RENDERER_SOURCE, 'index.html')} is missing)`);
    this.name = 'RendererMissingError';
  }
}

/**
 * The built UI that browser mode serves: out/renderer, the folder `electron-vite build` also
 * fills. When it is missing or older than its sources it is built first with Vite's own API
 * (root src-renderer, the Svelte plugin), so that `chordline start --web` works from a fresh
 * checkout with no build step. The build goes to a side folder and is swapped in, so that a
 * phone already serving the old one never reads a half-written folder.
 */
export async function ensureRendererBuilt(
  options: { source?: string; out?: string; inputs?: string[] } = {},
): Promise<{ dir: string; built: boolean }> {
  const source = options.source ?? RENDERER_SOURCE;
  const out = options.out ?? RENDERER_OUT;
  if (!existsSync(join(source, 'index.html'))) throw new RendererMissingError();
  const newestSource = await newestChange(options.inputs ?? RENDERER_INPUTS);
  const built = await stat(join(out, 'index.html')).catch(() => undefined);
  if (built && built.mtimeMs >= newestSource) return { dir: out, built: false };

  const staging = `${out}.building-${process.pid}`;
  const { build } = await import('vite');
  const { svelte } = await import('@sveltejs/vite-plugin-svelte');
  try {
    await build({
      configFile: false,
      root: source,
      base: './',
      logLevel: 'error',
      clearScreen: false,
      plugins: [svelte()],
      build: { outDir: staging, emptyOutDir: true, reportCompressedSize: false },
    });
    const old = `${out}.old-${process.pid}`;
    if (existsSync(out)) await rename(out, old);
    await rename(staging, out);
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { dir: out, built: true };
}

/** The latest modification time under these folders (node_modules and dot-folders skipped). */
async function newestChange(dirs: string[]): Promise<number> {
  let newest = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else newest = Math.max(newest, (await stat(path).catch(() => undefined))?.mtimeMs ?? 0);
    }
  };
  for (const dir of dirs) await walk(dir);
  return newest;
}
