/**
 * The CLI. Kept light at start-up: `--version` and `--help` load nothing else; the checks,
 * sources and renderers are imported only when an assessment runs.
 */
import { HELP, parseCli, UsageError, type CliArgs } from './args.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export const EXIT = { ok: 0, usage: 2, failUnder: 3, target: 4, internal: 70 } as const;

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${TOOL_NAME}: ${err.message}\nTry '${TOOL_NAME} --help'.\n`);
      return EXIT.usage;
    }
    throw err;
  }
  if (args.command === 'help') {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (args.command === 'version') {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const { runCommand } = await import('./run.js');
  return runCommand(args, io);
}
