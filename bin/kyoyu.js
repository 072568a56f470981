#!/usr/bin/env node
// The published entry point runs the compiled CLI (built by `npm install` through the prepare script).
import { main } from '../dist/cli/main.js';

// Exit as soon as a command is done (serve and demo never return). On Node 24, better-sqlite3 12
// aborts when its statements are finalised during teardown; exiting at once avoids that path (it
// does not cure the Node 24 incompatibility: see README, Requirements).
process.exit(await main(process.argv));
