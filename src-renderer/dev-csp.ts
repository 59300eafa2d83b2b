import type { Plugin } from 'vite';

/**
 * For the dev server only. index.html's policy allows styles from the bundle alone, but under
 * `vite` / `electron-vite dev` there is no bundle: Vite injects each component's CSS as a
 * <style> element, which that policy blocks. This relaxes style-src for the served page; the
 * built page keeps the strict policy (the plugin does not apply to builds).
 */
export function devStylePolicy(): Plugin {
  return {
    name: 'chordline-dev-style-policy',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}
