// One linter config for the whole repository (flat config).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const SIPJS = [['sip.js', 'sip.js/*'], 'Only src-main/sip/ imports sip.js.'];
const FORGE = [['node-forge'], 'Only src-main/keystore/ imports node-forge.'];
const ELECTRON = [
  ['electron', 'electron/*'],
  'Only the Electron shell imports Electron; the core runs in plain Node.',
];
const above = (...folders) => [
  folders.flatMap((f) => [`**/${f}/*`, `../${f}/*`, `../../${f}/*`]),
  `This layer sits below ${folders.join(', ')}/.`,
];

/** What each folder of src-main may not import (lowest first; the desktop app's folders last). */
const DESKTOP = ['phone', 'web', 'shell', 'preload'];
const LAYERS = {
  ipc: [SIPJS, FORGE, ELECTRON, above('sip', 'trust', 'overlay', 'keystore', 'app', 'cli', ...DESKTOP)],
  keystore: [SIPJS, ELECTRON, above('sip', 'trust', 'overlay', 'app', 'cli', ...DESKTOP)],
  sip: [FORGE, ELECTRON, above('trust', 'overlay', 'keystore', 'app', 'cli', ...DESKTOP)],
  overlay: [SIPJS, FORGE, ELECTRON, above('sip', 'trust', 'app', 'cli', ...DESKTOP)],
  trust: [SIPJS, FORGE, ELECTRON, above('app', 'cli', ...DESKTOP)],
  app: [SIPJS, FORGE, ELECTRON, above('cli', ...DESKTOP)],
  // The desktop phone's core: contacts, history, settings, calls for a UI, over the ipc contract.
  phone: [SIPJS, FORGE, ELECTRON, above('cli', 'web', 'shell', 'preload')],
  // Browser mode: the same UI over HTTP and a WebSocket carrier of the ipc contract.
  web: [SIPJS, FORGE, ELECTRON, above('cli', 'shell', 'preload')],
  cli: [SIPJS, FORGE, ELECTRON, above('shell', 'preload')],
  // The Electron main process: a thin shell around phone/.
  shell: [SIPJS, FORGE, above('cli', 'web', 'preload')],
  // The sandboxed preload: Electron's contextBridge and the ipc contract, nothing else.
  preload: [
    SIPJS,
    FORGE,
    above('sip', 'trust', 'overlay', 'keystore', 'app', 'cli', 'phone', 'web', 'shell'),
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'patches/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The renderer: Svelte 5 components and runes modules, in a browser.
  ...svelte.configs.recommended,
  {
    files: ['src-renderer/**/*.svelte', 'src-renderer/**/*.svelte.ts', 'src-renderer/**/*.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'src-main/(?!ipc/)',
              message: 'The renderer talks to the core only through src-main/ipc (the contract).',
            },
            { group: ['electron', 'node:*'], message: 'The renderer runs in a sandboxed page.' },
          ],
        },
      ],
    },
  },
  // Layering (STYLE.md, docs/ARCHITECTURE.md): each library lives in one folder, and a lower
  // layer never imports a higher one. One rule per folder: flat config would let a later
  // no-restricted-imports entry replace an earlier one for the same file.
  ...Object.entries(LAYERS).map(([folder, banned]) => ({
    files: [`src-main/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: banned.map(([group, message]) => ({ group, message })) },
      ],
    },
  })),
);
