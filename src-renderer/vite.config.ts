import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { devStylePolicy } from './dev-csp.ts';

/**
 * The renderer on its own (`vite build src-renderer`): the same bundle electron-vite builds into
 * out/renderer, for checking it without Electron. Relative asset paths, because the page is
 * served from chordline://app/ in Electron and from the root of browser mode's loopback server.
 */
export default defineConfig({
  base: './',
  plugins: [svelte(), devStylePolicy()],
});
