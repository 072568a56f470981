#!/usr/bin/env node
// The published entry point runs the compiled CLI (built by `npm install` through the prepare script).
import { main } from '../dist/cli/main.js';

// Exit as soon as a command is done (serve and demo never return): a library's leftover timer must
// not keep a finished command alive.
process.exit(await main(process.argv));
