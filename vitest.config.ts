import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests bind real UDP ports; keep files in separate forks.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/renderer/**', 'test/**/*.alone.test.ts'],
        },
      },
      // Tests that run many real peers in one process and need the machine to themselves (a lab
      // of 40 peers on 2 cores): after every other file has finished, one at a time.
      {
        extends: true,
        test: {
          name: 'alone',
          include: ['test/**/*.alone.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      // The Svelte views, compiled by the same plugin as the app and driven in jsdom with a fake
      // PhoneApi. svelteTesting() resolves Svelte's browser build and cleans up after each test.
      {
        extends: true,
        plugins: [svelte({ configFile: false }), svelteTesting()],
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.ts'],
          environment: 'jsdom',
        },
      },
    ],
  },
});
