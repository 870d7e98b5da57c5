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
// folder must not import. crypto/ is the bottom (all bigint and point
// arithmetic, with each version's own in crypto/v3/ and crypto/v4/), wire/
// (bytes <-> typed messages) sits beside it, smp/ is the SMP state machine
// shared by the versions (generic over their math, so it may not name one),
// v3/ and v4/ are each version's protocol machines over crypto/ and wire/
// behind the secure-channel interface (secure-channel.ts), session/ does
// routing, instances, policies and fragments and reaches a version only
// through its entry module (v3/index.ts, v4/index.ts), outcome.ts is the
// host-facing vocabulary. The shared leaves errors.ts, limits.ts, bytes.ts,
// version.ts and assert-never.ts are open to all, as is secure-channel.ts
// (interfaces only); the entry points index.ts and testing.ts re-export and
// are imported by nothing inside.
const otrLayers = {
  crypto: { forbidden: ['wire', 'smp', 'v3', 'v4', 'session', 'outcome', 'secure-channel'], why: 'crypto/ is the bottom layer' },
  wire: { forbidden: ['crypto', 'smp', 'v3', 'v4', 'session', 'outcome', 'secure-channel'], why: 'wire/ is bytes <-> messages: no crypto, no state' },
  smp: { forbidden: ['crypto/v3', 'crypto/v4', 'v3', 'v4', 'session'], why: 'smp/ is shared by the versions: their math comes in through its interface' },
  v3: { forbidden: ['v4', 'session'], why: 'v3/ sits on crypto/, wire/ and smp/ only' },
  v4: { forbidden: ['v3', 'session'], why: 'v4/ sits on crypto/, wire/ and smp/ only' },
  session: { forbidden: [], why: 'session/ may use every layer', entryOnly: ['v3', 'v4'] },
};
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Relative imports from `depth` folders below src/ that reach src/`target`. */
const reaching = (depth, target) => `^${'\\.\\./'.repeat(depth)}${escapeRegex(target)}(\\.js$|/)`;
/** no-restricted-imports for the files `depth` folders below packages/otr/src/`folder` (depth 1: the folder itself). */
function otrImportRule(folder, depth) {
  const { forbidden, why, entryOnly = [] } = otrLayers[folder];
  const patterns = [
    ...forbidden.map((target) => ({
      regex: reaching(depth, target),
      message: `packages/otr/src/${folder}/ must not import ${target} (${why}; STYLE.md, "Layout").`,
    })),
    ...entryOnly.map((target) => ({
      regex: `^${'\\.\\./'.repeat(depth)}${target}/(?!index\\.js$)`,
      message: `packages/otr/src/${folder}/ reaches ${target}/ only through ${target}/index.ts (the secure-channel interface; STYLE.md, "Layout").`,
    })),
    { regex: `^${'\\.\\./'.repeat(depth)}(index|testing)\\.js$`, message: 'index.ts and testing.ts are entry points: nothing inside packages/otr/src imports them.' },
  ];
  if (folder !== 'crypto') patterns.push({ group: ['@noble/*'], message: 'only packages/otr/src/crypto/ may use @noble/*' });
  const paths = folder === 'crypto' ? ioModules : [...ioModules, ...cryptoModules.filter((m) => !m.includes('*'))];
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}
/** One config block per folder and depth (a pattern names the path from src/, so it depends on how deep the importer sits). */
const OTR_MAX_DEPTH = 4;
const otrImportBlocks = Object.keys(otrLayers).flatMap((folder) =>
  Array.from({ length: OTR_MAX_DEPTH }, (_, index) => ({
    files: [`packages/otr/src/${folder}/${'*/'.repeat(index)}*.ts`],
    rules: otrImportRule(folder, index + 1),
  })),
);

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
  ...otrImportBlocks,
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
  // packages/msrp is sans-I/O like packages/otr; node:crypto (MD5 digest and
  // the default random source) only in src/digest.ts.
  {
    files: ['packages/msrp/src/**/*.ts'],
    ignores: ['packages/msrp/src/digest.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...ioModules, ...cryptoModules.filter((m) => !m.includes('*'))], patterns: [{ group: ['@noble/*'], message: 'packages/msrp uses no @noble/*' }] }] },
  },
  { files: ['packages/msrp/src/digest.ts'], rules: { 'no-restricted-imports': ['error', { paths: ioModules }] } },
  {
    files: ['packages/msrp/src/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...impureGlobals.map((g) => ({ ...g, message: 'packages/msrp is sans-I/O: the host supplies time, randomness and I/O.' }))],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use the injected RandomSource' }],
    },
  },
  {
    // packages/chat is sans-I/O like packages/otr: no I/O, timers or clock, and no cryptography of its own.
    files: ['packages/chat/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...ioModules, ...cryptoModules.filter((m) => !m.includes('*'))],
        patterns: [{ group: ['@noble/*'], message: 'cryptography stays inside packages/otr/src/crypto/' }],
      }],
      'no-restricted-globals': ['error', ...impureGlobals.map((rule) => ({ ...rule, message: 'packages/chat is sans-I/O: the host supplies time, randomness and I/O.' }))],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use the injected RandomSource' }],
    },
  },
  // The page of `sotto web` runs in the browser; its protocol/ (shared with the server) touches neither the DOM nor node's I/O.
  { files: ['packages/web/src/app/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['packages/web/src/protocol/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: ioModules }] } },
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
