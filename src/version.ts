/** Tool name and version, from the package's own package.json (found upward from this module, built or not). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'slsa-scorecard') return dir;
      } catch {
        /* keep looking */
      }
    }
    dir = dirname(dir);
  }
  return dirname(fileURLToPath(import.meta.url));
}

/** The installed package's root (templates/ and package.json live there). */
export const PACKAGE_ROOT = findPackageRoot();
const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

export const TOOL_NAME = pkg.name;
export const TOOL_VERSION = pkg.version;
