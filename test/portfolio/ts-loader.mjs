/**
 * Runs the TypeScript sources in a child process, so the kill test exercises the code as it is
 * and not a stale build: `node --import ./test/portfolio/ts-loader.mjs test/portfolio/cli-child.mjs …`.
 */
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
