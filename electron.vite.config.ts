import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { devStylePolicy } from './src-renderer/dev-csp.ts';

const root = import.meta.dirname;

/**
 * The desktop build: `electron-vite build` writes out/main, out/preload and out/renderer, which
 * is all electron-builder packages (with the production node_modules).
 *
 * - main (src-main/index.ts, the shell and the whole core): an ES module, as package.json says
 *   "type": "module". Every package in "dependencies" stays external (electron-vite's default,
 *   `build.externalizeDeps`) and is loaded from node_modules at run time: better-sqlite3 is a
 *   native module that cannot be bundled, and sip.js must be the copy patch-package patched.
 * - preload (the main window's, and the passphrase window's): sandboxed preloads can require
 *   'electron' and nothing else, and cannot load ES modules. So each is one self-contained
 *   CommonJS file (.cjs, since package.json says "module"): nothing externalized, no chunk
 *   shared between the two (isolatedEntries).
 * - renderer: the Svelte UI from src-renderer/, served to the window as chordline://app/.
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve(root, 'src-main/index.ts') } },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/preload/index.ts'),
          passphrase: resolve(root, 'src-main/preload/passphrase.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    build: { rollupOptions: { input: { index: resolve(root, 'src-renderer/index.html') } } },
    // devStylePolicy: under `electron-vite dev` only, lets Vite's injected <style> elements past the CSP.
    plugins: [svelte(), devStylePolicy()],
  },
});
