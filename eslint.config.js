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

// Import direction inside packages/otr/src (STYLE.md, "Layout"): what each
// folder must not import. crypto/ is the bottom (all bigint arithmetic), wire/
// (bytes <-> typed messages) sits beside it, keys/ ake/ smp/ are the protocol
// machines over both, session/ ties them together, outcome.ts is the
// host-facing vocabulary. The shared leaves errors.ts, limits.ts, bytes.ts and
// assert-never.ts are open to all; the entry points index.ts and testing.ts
// re-export and are imported by nothing inside.
const otrLayers = {
  crypto: { forbidden: ['wire', 'keys', 'ake', 'smp', 'session', 'outcome'], why: 'crypto/ is the bottom layer' },
  wire: { forbidden: ['crypto', 'keys', 'ake', 'smp', 'session', 'outcome'], why: 'wire/ is bytes <-> messages: no crypto, no state' },
  keys: { forbidden: ['ake', 'smp', 'session', 'outcome'], why: 'keys/ sits on crypto/ and wire/ only' },
  ake: { forbidden: ['smp', 'session', 'outcome'], why: 'ake/ sits on crypto/, wire/ and keys/ only' },
  smp: { forbidden: ['ake', 'keys', 'session', 'outcome'], why: 'smp/ sits on crypto/ and wire/ only' },
  session: { forbidden: [], why: 'session/ may use every layer' },
};
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** no-restricted-imports for one folder of packages/otr/src. */
function otrImportRule(folder) {
  const { forbidden, why } = otrLayers[folder];
  const patterns = [
    ...forbidden.map((target) => ({
      regex: `^(\\.\\./)+${escapeRegex(target)}(\\.js$|/)`,
      message: `packages/otr/src/${folder}/ must not import ${target} (${why}; STYLE.md, "Layout").`,
    })),
    { regex: '^(\\.\\./)+(index|testing)\\.js$', message: 'index.ts and testing.ts are entry points: nothing inside packages/otr/src imports them.' },
  ];
  if (folder !== 'crypto') patterns.push({ group: ['@noble/*'], message: 'only packages/otr/src/crypto/ may use @noble/*' });
  const paths = folder === 'crypto' ? ioModules : [...ioModules, ...cryptoModules.filter((m) => !m.includes('*'))];
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

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
  ...Object.keys(otrLayers).map((folder) => ({ files: [`packages/otr/src/${folder}/**/*.ts`], rules: otrImportRule(folder) })),
  {
    files: ['packages/otr/src/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...ioModules, ...cryptoModules.filter((m) => !m.includes('*'))],
        patterns: [{ group: ['@noble/*'], message: 'only packages/otr/src/crypto/ may use @noble/*' }],
      }],
    },
  },
  {
    files: ['packages/otr/src/**/*.ts'],
    rules: {
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
