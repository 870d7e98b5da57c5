// npm run fuzz: loads the fuzz command line (TypeScript, cli.ts) through
// Vite's module runner, the same loader vitest runs the tests with, so the
// sources run as they are, without a build step. See cli.ts for the options.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const { module } = await runnerImport(fileURLToPath(new URL('./cli.ts', import.meta.url)));
process.exitCode = await module.main(process.argv.slice(2), new URL('./worker.mjs', import.meta.url));
