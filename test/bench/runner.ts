/**
 * Child process of the benchmark: runs bin/slsa-scorecard.js exactly as `node bin/slsa-scorecard.js
 * ARGS…` would (same argv, same module graph), and at exit writes its own figures to the file named
 * by SLSA_BENCH_STATS: peak RSS (process.resourceUsage().maxRSS) and time since process start.
 * No external tool (/usr/bin/time) is needed.
 */
import { writeFileSync } from 'node:fs';

const statsFile = process.env.SLSA_BENCH_STATS;
process.on('exit', (code) => {
  if (!statsFile) return;
  const ru = process.resourceUsage();
  writeFileSync(
    statsFile,
    JSON.stringify({
      code,
      uptimeMs: performance.now(),
      maxRssKB: ru.maxRSS,
      userMs: ru.userCPUTime / 1000,
      systemMs: ru.systemCPUTime / 1000,
    }),
  );
});

// dist/test/bench/runner.js → <repo>/bin/slsa-scorecard.js
await import(new URL('../../../bin/slsa-scorecard.js', import.meta.url).href);
