#!/usr/bin/env node
// The sotto command. The TypeScript sources are built into dist/ by `npm ci` (the root prepare script).
import { run } from '../dist/main.js';

await run();
