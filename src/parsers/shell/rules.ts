/**
 * Scorecard's Pinned-Dependencies rules for shell commands (checks/raw/shell_download_validate.go),
 * ported over the same input: the command's arguments as `extractCommand` renders them (literal
 * words as written, single-quoted words as `'x'`, double-quoted literal words as `"x"`, `sudo`
 * dropped, anything with expansions left out).
 */
import { base, clean, dir, equalFold, join, urlPath } from './gopath.js';

export const SUPPORTED_SHELLS = ['sh', 'bash', 'mksh'];
const OTHER_SHELLS = ['dash', 'ksh'];
const SHELL_NAMES = [...SUPPORTED_SHELLS, ...OTHER_SHELLS];
const PYTHON_INTERPRETERS = ['python', 'python3', 'python2.7'];
export const SHELL_INTERPRETERS = ['exec', 'su', ...SHELL_NAMES];
const OTHER_INTERPRETERS = ['perl', 'ruby', 'php', 'node', 'nodejs', 'java'];
const DOTNET_INTERPRETERS = ['dotnet', 'nuget'];
/** Same order as Scorecard's (it matters for `extractInterpreterAndCommand`). */
const INTERPRETERS = [...DOTNET_INTERPRETERS, ...OTHER_INTERPRETERS, ...SHELL_INTERPRETERS, ...SHELL_NAMES, ...PYTHON_INTERPRETERS];
const DOWNLOAD_UTILS = new Set(['curl', 'wget', 'gsutil']);
const INTERPRETER_SET = new Set(INTERPRETERS);

/** Scorecard's isBinaryName: the last path element, case-insensitively. */
export function isBinaryName(expected: string, name: string): boolean {
  return equalFold(base(name), expected);
}

function isAnyBinary(names: readonly string[], name: string | undefined): boolean {
  if (name === undefined) return false;
  const b = base(name).toLowerCase();
  return names.includes(b);
}

let lastCmd: readonly string[] | undefined;
let lastProgram = '';

/**
 * The lower-cased program name (last path element of cmd[0]); the rules ask for it many times
 * per command, so the last answer is kept.
 */
export function programName(cmd: readonly string[]): string {
  if (cmd !== lastCmd) {
    lastCmd = cmd;
    lastProgram = cmd.length === 0 ? '' : base(cmd[0]).toLowerCase();
  }
  return lastProgram;
}

/** Scorecard's isBinaryName(name, cmd[0]) (or `alt`). */
export function isProgram(cmd: readonly string[], name: string, alt?: string): boolean {
  if (cmd.length === 0) return false;
  const p = programName(cmd);
  return p === name || p === alt;
}

/** Key under which file names are matched (Scorecard compares EqualFold(Clean(a), Clean(b))). */
export function fileKey(name: string): string {
  return clean(name).toLowerCase();
}

// ── downloads ──────────────────────────────────────────────────────────────────────────────

export function isDownloadUtility(cmd: string[]): boolean {
  if (cmd.length === 0) return false;
  if (cmd.length > 0 && DOWNLOAD_UTILS.has(programName(cmd))) return true;
  return isAwsGetObject(cmd);
}

function isAwsGetObject(cmd: string[]): boolean {
  return cmd.length >= 3 && isProgram(cmd, 'aws') && equalFold(cmd[1], 's3api') && equalFold(cmd[2], 'get-object');
}

function stripQuotes(s: string): string {
  const quoted = (c: number): boolean => c === 34 || c === 39;
  if (!quoted(s.charCodeAt(0)) && !quoted(s.charCodeAt(s.length - 1))) return s;
  return s.replace(/^["']+|["']+$/g, '');
}

/**
 * Scorecard's hasUnpinnedURLs: a download is pinned only when every URL it fetches is a
 * https://raw.githubusercontent.com/<owner>/<repo>/<40-hex commit>/<path> URL. No URL at all
 * (e.g. `curl $URL`) counts as unpinned.
 */
export function hasUnpinnedURLs(cmd: string[]): boolean {
  const urls = cmd.map(stripQuotes).filter((s) => /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s));
  if (urls.length === 0) return true;
  return urls.some((u) => !/^https:\/\/raw\.githubusercontent\.com\/[^/?#]+\/[^/?#]+\/[0-9a-fA-F]{40}\/[^?#\s]+/i.test(u));
}

export interface OutputFile {
  file?: string;
  /** A URL that could not be parsed (Go's url.Parse error). */
  error?: string;
}

/** Where a download command writes (wget -O / URL name, gsutil, aws s3api), as Scorecard finds it. */
export function getOutputFile(cmd: string[], extended: boolean): OutputFile {
  if (cmd.length === 0) return {};
  if (isProgram(cmd, 'wget')) return wgetOutput(cmd);
  if (isProgram(cmd, 'gsutil')) return gsutilOutput(cmd);
  if (isAwsGetObject(cmd)) return awsOutput(cmd);
  if (extended && isProgram(cmd, 'curl')) return curlOutput(cmd);
  return {};
}

function parsedBase(u: string): OutputFile {
  try {
    return { file: base(urlPath(u)) };
  } catch {
    return { error: `url.Parse: invalid URL ${JSON.stringify(u)}` };
  }
}

function wgetOutput(cmd: string[]): OutputFile {
  for (let i = 1; i < cmd.length - 1; i++) {
    if (equalFold(cmd[i], '-O')) return { file: cmd[i + 1] };
  }
  const url = cmd.slice(1).find((a) => a.startsWith('http'));
  return url === undefined ? {} : parsedBase(url);
}

/** A directory destination gets the object's own name, as gsutil/aws do. */
function intoDirectory(url: string, dest: string): OutputFile {
  if (clean(dir(dest)) !== clean(dest)) return { file: dest };
  const b = parsedBase(url);
  return b.file === undefined ? b : { file: join(dir(dest), b.file) };
}

function gsutilOutput(cmd: string[]): OutputFile {
  for (let i = 1; i < cmd.length - 1; i++) {
    if (cmd[i].startsWith('gs://')) return intoDirectory(cmd[i], cmd[i + 1]);
  }
  return {};
}

function awsOutput(cmd: string[]): OutputFile {
  // Scorecard takes the last two arguments as source key and destination.
  return intoDirectory(cmd[cmd.length - 2], cmd[cmd.length - 1]);
}

/** curl short options that take a value (so letters after them in a cluster are not options). */
const CURL_SHORT_WITH_ARG = new Set('AbCcdEeFHhKmoPQrTtUuwXxYyz'.split(''));

/**
 * Improvement over Scorecard, which ignores curl's own output options: `-o FILE`, `--output FILE`,
 * `-O`/`--remote-name` (the URL's last path element).
 */
function curlOutput(cmd: string[]): OutputFile {
  let out: string | undefined;
  let remoteName = false;
  for (let i = 1; i < cmd.length; i++) {
    const a = cmd[i];
    if (a === '--output' || a === '-o') out = cmd[++i];
    else if (a.startsWith('--output=')) out = a.slice('--output='.length);
    else if (a === '--remote-name' || a === '-O') remoteName = true;
    else if (/^-[A-Za-z]+/.test(a) && !a.startsWith('--')) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k];
        if (f === 'O') remoteName = true;
        if (f === 'o') {
          out = k + 1 < a.length ? a.slice(k + 1) : cmd[++i];
          break;
        }
        if (CURL_SHORT_WITH_ARG.has(f)) {
          if (k + 1 === a.length) i++;
          break;
        }
      }
    }
  }
  if (out !== undefined && out !== '-' && out !== '/dev/null') return { file: out };
  if (!remoteName) return {};
  const urls = cmd.filter((a) => /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(a));
  return urls.length === 0 ? {} : parsedBase(urls[urls.length - 1]);
}

// ── interpreters ───────────────────────────────────────────────────────────────────────────

export function isInterpreter(cmd: string[]): boolean {
  return cmd.length > 0 && INTERPRETER_SET.has(programName(cmd));
}

export function isPythonCommand(cmd: string[]): boolean {
  return cmd.length > 0 && PYTHON_INTERPRETERS.includes(programName(cmd));
}

/** Scorecard's isShellInterpreterOrCommand: not python, not perl/ruby/php/node/java. */
export function isShellInterpreterOrCommand(name: string): boolean {
  return !isAnyBinary(PYTHON_INTERPRETERS, name) && !isAnyBinary(OTHER_INTERPRETERS, name);
}

/** Scorecard's isCommand: the interpreter appears, followed later by a flag containing "c". */
function isCommand(cmd: string[], names: string[], b: string): boolean {
  let isBin = false;
  for (let i = 0; i < cmd.length; i++) {
    if (names[i] === b) isBin = true;
    else if (isBin && cmd[i].startsWith('-') && cmd[i].includes('c')) return true;
  }
  return false;
}

/** The interpreter of an `interpreter -c "…"` command line, if any. */
export function extractInterpreterAndCommand(cmd: string[]): string | undefined {
  if (!cmd.some((c) => c.startsWith('-') && c.includes('c'))) return undefined;
  const names = cmd.map((c) => base(c).toLowerCase());
  return INTERPRETERS.find((b) => isCommand(cmd, names, b));
}

/** Keys of the files this command runs: `./file` or `<interpreter> … file`. */
export function executedFileKeys(cmd: string[]): string[] {
  if (cmd.length === 0) return [];
  const keys = [fileKey(cmd[0])];
  if (isInterpreter(cmd)) for (const a of cmd.slice(1)) keys.push(fileKey(a));
  return keys;
}

// ── package managers ───────────────────────────────────────────────────────────────────────

export type PackageManager = 'goCommand' | 'pipCommand' | 'npmCommand' | 'chocoCommand' | 'nugetCommand';

export interface PackageInstall {
  type: PackageManager;
  pinned: boolean;
  /** What the remediation should talk about. */
  detail: string;
}

/** Scorecard's collectUnpinnedPakageManagerDownload: the first matching manager decides. */
export function classifyPackageInstall(cmd: string[]): PackageInstall | undefined {
  // Each manager is recognised by its program name, so the program name picks the one to try.
  switch (programName(cmd)) {
    case 'go':
      return isGoDownload(cmd) ? { type: 'goCommand', pinned: !isGoUnpinnedDownload(cmd), detail: `go ${cmd[1]}` } : undefined;
    case 'pip':
    case 'pip3':
    case 'python':
    case 'python3':
    case 'python2.7':
      return isPipDownload(cmd) ? { type: 'pipCommand', pinned: !isPipUnpinnedDownload(cmd), detail: 'pip install' } : undefined;
    case 'npm':
      return isNpmDownload(cmd) ? { type: 'npmCommand', pinned: !isNpmUnpinnedDownload(cmd), detail: 'npm install' } : undefined;
    case 'choco':
    case 'choco.exe':
      return isChocoDownload(cmd) ? { type: 'chocoCommand', pinned: !isChocoUnpinnedDownload(cmd), detail: 'choco install' } : undefined;
    case 'nuget':
    case 'nuget.exe':
    case 'dotnet':
    case 'dotnet.exe':
    case 'msbuild':
    case 'msbuild.exe': {
      const kind = nugetKind(cmd);
      return kind ? { type: 'nugetCommand', pinned: !isNugetUnpinned(cmd, kind), detail: kind } : undefined;
    }
    default:
      return undefined;
  }
}

function isGoDownload(cmd: string[]): boolean {
  return cmd.length > 2 && isProgram(cmd, 'go') && (cmd[1] === 'get' || cmd[1] === 'install');
}

const GO_FLAGS = ['-d', '-f', '-t', '-u', '-v', '-fix', '-insecure'];
const HASH_RE = /^[A-Fa-f0-9]{40,}$/;
const SEMVER_RE = /^v\d+\.\d+\.\d+(-[0-9A-Za-z-.]+)?(\+[0-9A-Za-z-.]+)?$/;

function isGoUnpinnedDownload(cmd: string[]): boolean {
  let insecure = false;
  for (let i = 1; i < cmd.length - 1; i++) {
    while (i < cmd.length - 1 && GO_FLAGS.includes(cmd[i + 1])) {
      if (cmd[i + 1] === '-insecure') insecure = true;
      i++;
    }
    if (i + 1 >= cmd.length) return false; // `go get -d -v`
    const pkg = cmd[i + 1];
    // Not URL-like: a local folder, pinned.
    if (!/\w+\.\w+\/\w+/.test(pkg)) return false;
    const parts = pkg.split('@');
    if (parts.length !== 2) continue;
    const version = parts[1];
    if (version === 'none' || HASH_RE.test(version) || (!insecure && SEMVER_RE.test(version))) return false;
  }
  return true;
}

function isPipInstall(cmd: string[]): boolean {
  return cmd.length >= 2 && isProgram(cmd, 'pip', 'pip3') && equalFold(cmd[1], 'install');
}

function extractPipCommand(cmd: string[]): string[] | undefined {
  for (let i = 1; i < cmd.length - 1; i++) {
    if (equalFold(cmd[i], '-m') && equalFold(cmd[i + 1], 'pip')) return cmd.slice(i + 1);
  }
  return undefined;
}

function isPythonPipInstall(cmd: string[]): boolean {
  if (!isPythonCommand(cmd)) return false;
  const pip = extractPipCommand(cmd);
  return pip !== undefined && isPipInstall(pip);
}

function isPipDownload(cmd: string[]): boolean {
  return isPipInstall(cmd) || isPythonPipInstall(cmd);
}

function isPipUnpinnedDownload(cmd: string[]): boolean {
  if (isPipInstall(cmd)) return isUnpinnedPipInstall(cmd);
  return isUnpinnedPipInstall(extractPipCommand(cmd) ?? []);
}

function isPinnedEditableSource(src: string): boolean {
  if (!/^(git|svn|hg|bzr).+$/.test(src)) return true; // local source
  return /^git(\+(https?|ssh|git))?:\/\/.*(.git)?@[a-fA-F0-9]{40}(#egg=.*)?$/.test(src);
}

function isFlag(s: string): boolean {
  return /^(--?\w+)+$/.test(s);
}

function isUnpinnedPipInstall(cmd: string[]): boolean {
  let hasNoDeps = false;
  let editable = false;
  let pinnedEditable = true;
  let requireHashes = false;
  let additional = false;
  let wheel = false;
  for (let i = 2; i < cmd.length; i++) {
    const a = cmd[i];
    if (equalFold(a, '--no-deps')) hasNoDeps = true;
    else if (a === '-e' || a === '--editable') editable = true;
    else if (equalFold(a, '--require-hashes')) {
      requireHashes = true;
      break;
    } else if (isFlag(a)) continue;
    else if (a.endsWith('.whl')) wheel = true;
    else if (editable) pinnedEditable = pinnedEditable && isPinnedEditableSource(a);
    else additional = true;
  }
  if (editable) return !hasNoDeps || !pinnedEditable;
  if (requireHashes) return false;
  if (additional) return true;
  return !wheel;
}

function isNpmDownload(cmd: string[]): boolean {
  if (!isProgram(cmd, 'npm')) return false;
  return cmd.slice(1).some((a) => ['install', 'i', 'install-test', 'update', 'ci'].some((v) => equalFold(a, v)));
}

/** A git dependency fixed to a full commit: `github:user/repo#<sha>`, `git://…#<sha>`. */
const NPM_PINNED_GIT = /^(github:|git:\/\/|git\+(ssh|https?):\/\/)[^#\s]+#[0-9a-fA-F]{40}$/;

function isNpmUnpinnedDownload(cmd: string[]): boolean {
  if (cmd.slice(1).some((a) => equalFold(a, 'ci'))) return false; // `npm ci` verifies the lockfile hashes
  const packages = cmd.slice(2).filter((a) => !a.startsWith('-'));
  return !(packages.length > 0 && packages.every((p) => NPM_PINNED_GIT.test(p)));
}

function isChocoDownload(cmd: string[]): boolean {
  return cmd.length >= 2 && isProgram(cmd, 'choco', 'choco.exe') && equalFold(cmd[1], 'install');
}

function isChocoUnpinnedDownload(cmd: string[]): boolean {
  return !cmd.slice(2).some((a) => {
    const flag = a.split('=')[0];
    return ['--requirechecksum', '--requirechecksums', '--require-checksums'].some((v) => equalFold(flag, v));
  });
}

type NugetKind = 'nuget install' | 'dotnet add package' | 'nuget restore' | 'dotnet restore' | 'msbuild restore';

function nugetKind(cmd: string[]): NugetKind | undefined {
  const nuget = isProgram(cmd, 'nuget', 'nuget.exe');
  const dotnet = isProgram(cmd, 'dotnet', 'dotnet.exe');
  if (dotnet && cmd.length >= 4 && equalFold(cmd[1], 'add') && (equalFold(cmd[2], 'package') || equalFold(cmd[3], 'package'))) {
    return 'dotnet add package';
  }
  if (nuget && cmd.length >= 2 && equalFold(cmd[1], 'install')) return 'nuget install';
  if (nuget && cmd.length >= 2 && equalFold(cmd[1], 'restore')) return 'nuget restore';
  if (dotnet && cmd.length >= 2 && equalFold(cmd[1], 'restore')) return 'dotnet restore';
  const msbuild = isProgram(cmd, 'msbuild', 'msbuild.exe');
  if (msbuild && cmd.slice(1).some((a) => /^[/-]t(arget)?:restore$/i.test(a))) return 'msbuild restore';
  return undefined;
}

function isNugetUnpinned(cmd: string[], kind: NugetKind): boolean {
  const rest = cmd.slice(2);
  switch (kind) {
    case 'nuget install':
      // No package (restoring a project) or a packages.config (versions are mandatory there): pinned.
      if (cmd.length === 2 || cmd[2].endsWith('packages.config')) return false;
      return !rest.some((a) => equalFold(a, '-Version'));
    case 'dotnet add package':
      return !cmd.slice(3).some((a) => equalFold(a, '-v') || equalFold(a, '--version'));
    case 'nuget restore':
      return !rest.some((a) => equalFold(a, '-LockedMode'));
    case 'dotnet restore':
      return !rest.some((a) => equalFold(a, '--locked-mode'));
    case 'msbuild restore':
      return !cmd.slice(1).some((a) => /^[/-]p(roperty)?:RestoreLockedMode=true$/i.test(a));
  }
}
