#!/usr/bin/env node
// Thin entry: everything lives in the compiled CLI (npm run build / npm ci).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`slsa-scorecard: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 70;
  },
);
