// One linter config for the whole repository (flat config).
import js from '@eslint/js';
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

/** What each folder of src-main may not import. */
const LAYERS = {
  keystore: [SIPJS, ELECTRON, above('sip', 'trust', 'overlay', 'app', 'cli')],
  sip: [FORGE, ELECTRON, above('trust', 'overlay', 'keystore', 'app', 'cli')],
  overlay: [SIPJS, FORGE, ELECTRON, above('sip', 'trust', 'app', 'cli')],
  trust: [SIPJS, FORGE, ELECTRON, above('app', 'cli')],
  app: [SIPJS, FORGE, ELECTRON, above('cli')],
  cli: [SIPJS, FORGE, ELECTRON],
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
