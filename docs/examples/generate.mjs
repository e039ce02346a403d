#!/usr/bin/env node
// Regenerates the example reports in this directory from the project's own checkout, with the
// built CLI (one assessment, several outputs):
//
//   npm run build && node docs/examples/generate.mjs
//
// Commit the result: readers see real output without installing anything.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('generate.mjs: build first (npm run build)');
  process.exit(2);
}
const outputs = [
  ['md', 'report.md'],
  ['html', 'report.html'],
  ['sarif', 'report.sarif'],
  ['badge', 'badge.svg'],
].flatMap(([format, file]) => ['--format', format, '-o', join('docs', 'examples', file)]);
const r = spawnSync(process.execPath, [join('bin', 'slsa-scorecard.js'), '.', '--quiet', ...outputs], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`generate.mjs: slsa-scorecard exited with ${r.status ?? r.signal}`);
  process.exit(1);
}
console.log('docs/examples: report.md, report.html, report.sarif, badge.svg regenerated');
