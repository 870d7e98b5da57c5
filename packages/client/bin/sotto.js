#!/usr/bin/env node
// The sotto command; the TypeScript sources are built into dist/ by `npm ci` (prepare).
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
