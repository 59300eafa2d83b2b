import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * The desktop build (issue 4 adds the entries): the Electron main process and its sandboxed
 * preload come from src-main/, the Svelte 5 renderer from src-renderer/. Everything else in
 * src-main/ is plain Node and is tested without Electron.
 */
export default defineConfig({
  main: {
    build: { rollupOptions: { input: { index: resolve(import.meta.dirname, 'src-main/index.ts') } } },
  },
  preload: {
    build: { rollupOptions: { input: { index: resolve(import.meta.dirname, 'src-main/preload/index.ts') } } },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    build: { rollupOptions: { input: { index: resolve(import.meta.dirname, 'src-renderer/index.html') } } },
    plugins: [svelte()],
  },
});
