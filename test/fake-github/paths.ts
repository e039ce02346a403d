/** Fixture files, found from the sources (vitest) and from the build (`dist/test/…`, the benchmark). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function fixturePath(rel: string): string {
  for (const base of ['../fixtures/github/', '../../../test/fixtures/github/']) {
    const p = fileURLToPath(new URL(base + rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`fixture not found: test/fixtures/github/${rel}`);
}
