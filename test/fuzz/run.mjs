// npm run fuzz:sip: loads the fuzz command line (TypeScript, cli.ts) through
// Vite's module runner, as vitest loads the tests, so no build step is needed.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const { module } = await runnerImport(fileURLToPath(new URL('./cli.ts', import.meta.url)));
process.exitCode = module.main(process.argv.slice(2));
