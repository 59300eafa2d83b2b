// One linter config for the whole repository (flat config).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  {
    // Layering (STYLE.md): only sip/ imports sip.js, only keystore/ imports node-forge,
    // nothing below app/ imports Electron, overlay/ knows nothing of SIP.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/sip/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['sip.js', 'sip.js/*'], message: 'Only src-main/sip/ imports sip.js.' }] },
      ],
    },
  },
);
