// Lint settings. The rules for packages/otr keep the protocol library free of
// I/O, timers and wall-clock time (sans-I/O), and keep node:crypto inside crypto/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'dgram', 'node:dgram',
  'http', 'node:http', 'https', 'node:https', 'child_process', 'node:child_process',
  'timers', 'node:timers', 'timers/promises', 'node:timers/promises', 'os', 'node:os',
  'process', 'node:process', 'worker_threads', 'node:worker_threads', 'tls', 'node:tls',
];
const cryptoModules = ['crypto', 'node:crypto', '@noble/*', '@noble/curves', '@noble/hashes'];
const impureGlobals = ['Date', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout',
  'clearInterval', 'console', 'process', 'fetch', 'performance'].map((name) => ({
  name,
  message: 'packages/otr is sans-I/O: the host supplies time, randomness and I/O.',
}));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test/interop/peers/**/build/**', 'bench/**/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/otr/src/**/*.ts'],
    ignores: ['packages/otr/src/crypto/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...ioModules, ...cryptoModules.filter((m) => !m.includes('*'))], patterns: ['@noble/*'] }],
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use the injected RandomSource' }],
    },
  },
  {
    files: ['packages/otr/src/crypto/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules }],
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use the injected RandomSource' }],
    },
  },
  {
    files: ['**/test/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
