import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  analyzeShell,
  createShellContext,
  isShellScript,
  type ShellContext,
  type ShellDependencyType,
  type ShellIssue,
} from '../../src/parsers/shell.js';

// ── Scorecard parity ───────────────────────────────────────────────────────────────────────

const CASES_DIR = join(import.meta.dirname, '../../../shared/compat/cases');
const SHELL_TYPES: ShellDependencyType[] = ['downloadThenRun', 'goCommand', 'chocoCommand', 'npmCommand', 'pipCommand', 'nugetCommand'];

interface ParityCase {
  id: string;
  dir: string;
  check: string;
  compare: string;
  expected: number;
  rules: string[] | null;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/**
 * RUN bodies as Scorecard builds them from buildkit's AST: `\` continuations joined (comment and
 * empty lines inside them dropped), flags dropped, and an exec-form JSON array joined with spaces.
 */
function dockerfileRunScripts(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const scripts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    let logical = lines[i];
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) {
      logical = logical.replace(/\\\s*$/, '');
      i++;
      while (i < lines.length - 1 && /^\s*(#.*)?$/.test(lines[i])) i++;
      logical += lines[i];
    }
    const m = /^\s*RUN\s+([\s\S]*)$/i.exec(logical);
    if (!m) continue;
    const body = m[1].replace(/^(--\S+\s+)*/, '').trim();
    if (body.startsWith('[')) {
      try {
        const argv: unknown = JSON.parse(body);
        if (Array.isArray(argv)) {
          scripts.push(argv.map(String).join(' '));
          continue;
        }
      } catch {
        // shell form
      }
    }
    scripts.push(body);
  }
  return scripts;
}

type Yaml = Record<string, unknown>;
const obj = (v: unknown): Yaml => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Yaml) : {});

/** Scorecard's GetOSesForJob: runs-on labels, or matrix.os values when runs-on is `${{ matrix.os }}`. */
function jobOSes(job: Yaml): string[] | Error {
  const runsOn = job['runs-on'];
  const labels =
    typeof runsOn === 'string'
      ? [runsOn]
      : Array.isArray(runsOn)
        ? runsOn.map(String)
        : ([] as unknown[]).concat(obj(runsOn).labels ?? []).map(String);
  if (!(labels.length === 1 && labels[0].includes('matrix.os'))) return labels;
  const matrix = obj(obj(job.strategy).matrix);
  const oses = Array.isArray(matrix.os) ? matrix.os.map(String) : [];
  for (const inc of Array.isArray(matrix.include) ? matrix.include : []) {
    if (obj(inc).os !== undefined) oses.push(String(obj(inc).os));
  }
  return oses.length > 0 ? oses : new Error('unable to determine OS for job');
}

const WINDOWS_IF = [
  /runner\.os\s*==\s*['"]windows['"]/i,
  /\$\{\{\s*startsWith\(runner\.os,\s*['"]windows['"]\)/i,
  /matrix\.os\s*==\s*['"]windows-/i,
];

/** Scorecard's GetShellForStep (note: job-level `defaults.run.shell` only, not workflow-level). */
function stepShell(step: Yaml, job: Yaml): string | Error {
  if (typeof step.shell === 'string' && step.shell !== '') return step.shell;
  const jobDefault = obj(obj(job.defaults).run).shell;
  if (typeof jobDefault === 'string' && jobDefault !== '') return jobDefault;
  if (typeof step.if === 'string' && WINDOWS_IF.some((r) => r.test(step.if as string))) return 'pwsh';
  const oses = jobOSes(job);
  if (oses instanceof Error) return oses;
  // An empty list counts as "always Windows", as in Scorecard.
  return oses.every((os) => os.toLowerCase().startsWith('windows')) ? 'pwsh' : 'bash';
}

interface WorkflowResult {
  issues: ShellIssue[];
  errors: string[];
}

/** Every `run:` of every job, with one download context per job (Scorecard's taint map). */
function analyzeWorkflow(text: string): WorkflowResult {
  const out: WorkflowResult = { issues: [], errors: [] };
  for (const job of Object.values(obj(obj(parseYaml(text)).jobs)).map(obj)) {
    const context = createShellContext();
    for (const step of (Array.isArray(job.steps) ? job.steps : []).map(obj)) {
      if (typeof step.run !== 'string') continue;
      const shell = stepShell(step, job);
      if (shell instanceof Error) {
        out.errors.push(shell.message);
        continue;
      }
      const script = step.run.replace(/\{\{[^{}]*\}\}/g, 'GITHUB_REDACTED_VAR');
      const r = analyzeShell(script, { shell, context });
      out.issues.push(...r.issues);
      out.errors.push(...r.errors);
    }
  }
  return out;
}

function analyzeDockerfile(text: string): WorkflowResult {
  const context = createShellContext();
  const out: WorkflowResult = { issues: [], errors: [] };
  for (const script of dockerfileRunScripts(text)) {
    const r = analyzeShell(script, { context });
    out.issues.push(...r.issues);
    out.errors.push(...r.errors);
  }
  return out;
}

/** Issues our analyser reports for a parity case's file, the way its Scorecard test fed it. */
function parityIssues(c: ParityCase): WorkflowResult {
  const [file] = filesUnder(join(CASES_DIR, c.dir));
  const text = readFileSync(file, 'utf8');
  if (c.dir.includes('dockerfilescriptdownload')) {
    // isDockerfile() rejects shell scripts: a script offered as a Dockerfile yields nothing.
    return isShellScript(file, text) ? { issues: [], errors: [] } : analyzeDockerfile(text);
  }
  if (c.dir.includes('githubworkflow')) return analyzeWorkflow(text);
  return isShellScript(file, text) ? analyzeShell(text) : { issues: [], errors: [] };
}

const parityCases = (JSON.parse(readFileSync(join(CASES_DIR, 'cases.json'), 'utf8')) as ParityCase[]).filter(
  (c) =>
    c.check === 'Pinned-Dependencies' &&
    c.compare === 'findings' &&
    (c.rules ?? []).length > 0 &&
    (c.rules ?? []).every((r) => SHELL_TYPES.includes(r as ShellDependencyType)),
);

describe('Scorecard parity (Pinned-Dependencies, shell rules)', () => {
  it('finds the shell cases', () => {
    expect(parityCases.length).toBe(18);
  });

  it.each(parityCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const { issues } = parityIssues(c);
    const counted = issues.filter((i) => (c.rules ?? []).includes(i.type));
    expect(counted.length, counted.map((i) => `${i.line + 1}: ${i.snippet}`).join('\n')).toBe(c.expected);
  });

  it('skips a job whose runner OS cannot be determined (Scorecard: 1 processing error, 1 unpinned)', () => {
    const wf = `
jobs:
  unknown-os:
    runs-on: \${{ matrix.os_python.os }}
    strategy:
      matrix:
        os_python: [{ "os": "ubuntu-latest" }, { "os": "windows-latest" }]
    steps:
      - run: pip install cibuildwheel==2.9.0
  ubuntu-os:
    runs-on: ubuntu-latest
    steps:
      - run: pip install cibuildwheel==2.9.0
`;
    const r = analyzeWorkflow(wf);
    expect(r.issues).toHaveLength(1);
    expect(r.errors).toHaveLength(1);
  });

  it('reports a Dockerfile RUN that does not parse as a processing error and keeps the other RUNs', () => {
    const df = [
      'FROM abrarov/msvc-2017:2.11.0',
      'RUN choco install --no-progress -r -y cmake',
      'RUN if "%python%"=="3.8" curl bla | bash',
      'RUN choco install --no-progress -r -y gzip wget ninja',
    ].join('\n');
    const r = analyzeDockerfile(df);
    expect(r.issues.map((i) => i.type)).toEqual(['chocoCommand', 'chocoCommand']);
    expect(r.errors).toHaveLength(1);
  });
});

// ── focused rules ──────────────────────────────────────────────────────────────────────────

function types(script: string, context?: ShellContext): ShellDependencyType[] {
  return analyzeShell(script, { context }).issues.map((i) => i.type);
}

function count(script: string, context?: ShellContext): number {
  return analyzeShell(script, { context }).issues.length;
}

describe('download then run', () => {
  it('flags piping a download into a shell', () => {
    expect(types('curl -fsSL https://get.example.com | sh')).toEqual(['downloadThenRun']);
    expect(types('wget -O- https://example.com/install.sh | bash')).toEqual(['downloadThenRun']);
    expect(types('wget -qO - https://example.com/x | sudo bash -s -- --yes')).toEqual(['downloadThenRun']);
    expect(types('curl -s $URL | /bin/sh')).toEqual(['downloadThenRun']);
    expect(types('echo hi && curl -s https://x.io/i.sh | python3')).toEqual(['downloadThenRun']);
  });

  it('does not flag a download piped into a non-interpreter', () => {
    expect(count('curl -s https://example.com/data.json | jq .')).toBe(0);
    expect(count('curl https://example.com/x.tgz | tar xz')).toBe(0);
  });

  it('looks only at the first pair of a pipeline, as Scorecard (mvdan builds ((a|b)|c))', () => {
    expect(count('curl -s https://x.io/i.sh | bash | tee log')).toBe(1);
    expect(count('curl -s https://x.io/i.sh | tee log | bash')).toBe(0);
  });

  it('accepts a raw.githubusercontent.com URL pinned to a full commit', () => {
    const pinned =
      'https://raw.githubusercontent.com/dotnet/install-scripts/5b142a1e445a6f060d6430b661408989e9580b85/src/dotnet-install.sh';
    expect(count(`curl -sSL ${pinned} | bash /dev/stdin`)).toBe(0);
    expect(count(`bash <(curl -sSL "${pinned}")`)).toBe(0);
    expect(count(`curl -sSL ${pinned.replace('5b142a1e445a6f060d6430b661408989e9580b85', 'main')} | bash`)).toBe(1);
    expect(count(`curl -sSL ${pinned.replace('https:', 'http:')} | bash`)).toBe(1);
    expect(count('curl -sSL https://github.com/o/r/blob/5b142a1e445a6f060d6430b661408989e9580b85/i.sh | bash')).toBe(1);
  });

  it('flags process substitution', () => {
    expect(types('bash <(curl -s https://codecov.io/bash)')).toEqual(['downloadThenRun']);
    expect(types('sudo su -c "bash <(wget -qO- http://website.com/my-script2.sh)" root')).toEqual(['downloadThenRun']);
  });

  it('flags running a file downloaded earlier (redirect, wget -O, curl -o)', () => {
    expect(count('curl https://x.io/i.sh > /tmp/i.sh\nbash /tmp/i.sh')).toBe(1);
    expect(count('wget https://x.io/i.sh -O /tmp/i.sh && /tmp/i.sh')).toBe(1);
    expect(count('wget https://x.io/tools/install.sh; sh ./install.sh')).toBe(1);
    // Improvement: curl's own -o / -O (Scorecard only follows `> file`).
    expect(count('curl -fsSL -o install.sh https://x.io/install.sh && bash install.sh')).toBe(1);
    expect(count('curl -fsSLo /tmp/i https://x.io/i && chmod +x /tmp/i && /tmp/i')).toBe(1);
    expect(count('curl -sSLO https://x.io/get-tool.sh\nsh get-tool.sh')).toBe(1);
  });

  it('does not flag using a downloaded file without running it', () => {
    expect(count('wget https://x.io/data.json\nperl -pi -e "s/a/b/" other.json')).toBe(0);
    expect(count('curl -o /tmp/x.tgz https://x.io/x.tgz && tar xzf /tmp/x.tgz')).toBe(0);
  });

  it('tracks downloads across scripts sharing a context (Dockerfile RUNs, workflow steps)', () => {
    const ctx = createShellContext();
    expect(count('wget http://something -O /tmp/exe', ctx)).toBe(0);
    expect(count('/tmp/exe', ctx)).toBe(1);
    expect(count('/tmp/exe')).toBe(0);
  });

  it('analyses `sh -c` strings recursively', () => {
    expect(types('sh -c "curl bla | sh"')).toEqual(['downloadThenRun']);
    expect(types(`bash -c 'curl -s https://x.io | bash'`)).toEqual(['downloadThenRun']);
    expect(count('sh -c "curl bla > file1"\nsh -c "./file1"')).toBe(1);
    expect(types(`sh -c "bash -c 'curl x | sh'"`)).toEqual(['downloadThenRun']);
    // python -c is not shell: not re-parsed (as Scorecard).
    expect(count(`python3 -c 'import os; os.system("curl x | sh")'`)).toBe(0);
  });

  it('does not flag commented-out or quoted text', () => {
    expect(count('# curl https://x.io | sh\necho "curl https://x.io | sh"')).toBe(0);
    expect(count("cat <<'EOF'\ncurl https://x.io | sh\nEOF\n")).toBe(0);
  });

  it('sees command substitutions, including in unquoted here-documents', () => {
    expect(count('X=$(curl -s https://x.io | sh)')).toBe(1);
    expect(count('echo "`curl -s https://x.io | sh`"')).toBe(1);
    expect(count('cat <<EOF\n$(curl -s https://x.io | sh)\nEOF\n')).toBe(1);
    expect(count('if true; then\n  for i in 1; do curl -s https://x.io | sh; done\nfi')).toBe(1);
  });
});

describe('checksum-verified downloads (improvement over Scorecard #3401)', () => {
  const sha = 'a'.repeat(64);

  it('does not flag a file verified against a digest before it runs', () => {
    expect(count(`curl -fsSLo install.sh https://x.io/i.sh\necho "${sha}  install.sh" | sha256sum -c -\nbash install.sh`)).toBe(0);
    expect(count(`wget https://x.io/i.sh -O /tmp/i.sh && echo "\${SHA256} */tmp/i.sh" | sha256sum --check && bash /tmp/i.sh`)).toBe(0);
    expect(count(`curl https://x.io/t > t\nprintf '%s  %s\\n' "$SUM" t | shasum -a 256 -c\n./t`)).toBe(0);
    expect(count(`curl https://x.io/t > t\nsha512sum -c <<< "${'b'.repeat(128)}  t"\n./t`)).toBe(0);
    expect(count(`curl https://x.io/t > t\necho "${sha}  t" > t.sha256\nsha256sum -c t.sha256\n./t`)).toBe(0);
  });

  it('still flags weak, late or digest-less checks', () => {
    expect(count(`curl https://x.io/t > t\necho "${'c'.repeat(40)}  t" | sha1sum -c\n./t`)).toBe(1);
    expect(count(`curl https://x.io/t > t\n./t\necho "${sha}  t" | sha256sum -c`)).toBe(1);
    expect(count(`curl https://x.io/t > t\nsha256sum t\n./t`)).toBe(1);
    expect(count(`curl https://x.io/t > t\nsha256sum -c t.sha256\n./t`)).toBe(1);
    expect(count(`curl https://x.io/t > t\necho "$(sha256sum t)" | sha256sum -c\n./t`)).toBe(1);
  });
});

describe('package managers', () => {
  it('pip: unpinned unless hashes are required', () => {
    expect(types('pip install requests')).toEqual(['pipCommand']);
    expect(types('pip3 install -r requirements.txt')).toEqual(['pipCommand']);
    expect(types('pip install')).toEqual(['pipCommand']);
    expect(types('pip install .')).toEqual(['pipCommand']);
    expect(types('python3 -m pip install --upgrade pip')).toEqual(['pipCommand']);
    expect(types('sudo pip install foo==1.2.3')).toEqual(['pipCommand']);
    expect(count('pip install --require-hashes -r requirements.txt')).toBe(0);
    expect(count('pip3 install -r requirements.txt --require-hashes')).toBe(0);
    expect(count('python -m pip install dist/pkg-1.0-py3-none-any.whl')).toBe(0);
    expect(count('python -m pip install bla.whl somepkg')).toBe(1);
    expect(count('python -m notpip install x')).toBe(0);
  });

  it('pip editable installs: local or commit-pinned VCS source, with --no-deps', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect(count('pip install --no-deps -e .')).toBe(0);
    expect(count(`pip install --no-deps -e git+https://github.com/u/r.git@${sha}#egg=p`)).toBe(0);
    expect(count(`pip install -e git+https://github.com/u/r.git@${sha}#egg=p`)).toBe(1);
    expect(count('pip install --no-deps -e git+https://github.com/u/r.git@v1.0')).toBe(1);
    expect(count(`pip install --no-deps -e hg+https://h.org/r@${sha}`)).toBe(1);
  });

  it('npm: install/i/update are unpinned, ci is not', () => {
    expect(types('npm install')).toEqual(['npmCommand']);
    expect(types('npm i typescript')).toEqual(['npmCommand']);
    expect(types('npm install -g pkg@1.2.3')).toEqual(['npmCommand']);
    expect(types('npm update')).toEqual(['npmCommand']);
    expect(count('npm ci')).toBe(0);
    expect(count('npm run build')).toBe(0);
    expect(count('npm install github:nodeca/js-yaml#2cef47bebf60da141b78b085f3dea3b5733dcc12')).toBe(0);
    expect(count('npm install https://nodeca/js-yaml#2cef47bebf60da141b78b085f3dea3b5733dcc12')).toBe(1);
  });

  it('go: install/get need a full semver or a commit hash', () => {
    expect(types('go install golang.org/x/tools/gopls@latest')).toEqual(['goCommand']);
    expect(types('go get github.com/org/name')).toEqual(['goCommand']);
    expect(types('go get github.com/org/name@v1.2')).toEqual(['goCommand']);
    expect(types('go get -insecure somerepo.com/org/name@v1.2.3')).toEqual(['goCommand']);
    expect(count('go install golang.org/x/tools/gopls@v0.14.2')).toBe(0);
    expect(count('go get github.com/org/name@1111111111ccccccccccaaaaaaaaaa9999999999')).toBe(0);
    expect(count('go get somerepo.com/org/name@none')).toBe(0);
    expect(count('go install ./cmd/tool')).toBe(0);
    expect(count('go install')).toBe(0);
    expect(count('go get -d -v')).toBe(0);
    expect(count('go mod download')).toBe(0);
  });

  it('choco: install needs --requirechecksums', () => {
    expect(types("choco install 'git'")).toEqual(['chocoCommand']);
    expect(types('choco.exe install -y cmake')).toEqual(['chocoCommand']);
    expect(count('choco install --requirechecksums git')).toBe(0);
    expect(count('choco install --require-checksums=true git')).toBe(0);
  });

  it('nuget / dotnet: versions and locked-mode restores', () => {
    expect(types('nuget install Newtonsoft.Json')).toEqual(['nugetCommand']);
    expect(types('dotnet add package Newtonsoft.Json')).toEqual(['nugetCommand']);
    expect(types('dotnet add src/App.csproj package Newtonsoft.Json')).toEqual(['nugetCommand']);
    expect(types('nuget restore')).toEqual(['nugetCommand']);
    expect(types('dotnet restore')).toEqual(['nugetCommand']);
    expect(types('msbuild /t:restore')).toEqual(['nugetCommand']);
    expect(count('nuget install Newtonsoft.Json -Version 13.0.3')).toBe(0);
    expect(count('nuget install packages.config')).toBe(0);
    expect(count('dotnet add package Newtonsoft.Json --version 13.0.3')).toBe(0);
    expect(count('dotnet add package Newtonsoft.Json -v 13.0.3')).toBe(0);
    expect(count('dotnet restore --locked-mode')).toBe(0);
    expect(count('nuget restore -LockedMode')).toBe(0);
    expect(count('msbuild.exe /t:restore /p:RestoreLockedMode=true')).toBe(0);
    expect(count('dotnet add App reference Lib')).toBe(0);
    expect(count('dotnet build')).toBe(0);
  });

  it('gives concrete remediation', () => {
    const [go] = analyzeShell('go install example.com/x/tool@latest').issues;
    expect(go.remediation).toMatch(/@v1\.2\.3/);
    const [pip] = analyzeShell('pip install flask').issues;
    expect(pip.remediation).toMatch(/--require-hashes/);
    const [npm] = analyzeShell('npm install').issues;
    expect(npm.remediation).toMatch(/npm ci/);
    const [dl] = analyzeShell('curl https://x.io | sh').issues;
    expect(dl.remediation).toMatch(/sha256sum -c/);
    expect(dl.message).toContain('curl https://x.io | sh');
  });
});

describe('locations', () => {
  it('gives 0-based line/column/endLine in the script given', () => {
    const script = [
      '#!/bin/bash', // 0
      'set -e', // 1
      'if true; then', // 2
      '    pip install \\', // 3
      '      requests', // 4
      'fi', // 5
      'echo ok && curl -s https://x.io/i.sh | bash', // 6
      "  sh -c 'npm install'", // 7
    ].join('\n');
    const issues = analyzeShell(script).issues.map(({ type, line, column, endLine, snippet }) => ({
      type,
      line,
      column,
      endLine,
      snippet,
    }));
    expect(issues).toEqual([
      { type: 'pipCommand', line: 3, column: 4, endLine: 4, snippet: 'pip install requests' },
      { type: 'downloadThenRun', line: 6, column: 11, endLine: 6, snippet: 'curl -s https://x.io/i.sh | bash' },
      { type: 'npmCommand', line: 7, column: 9, endLine: 7, snippet: 'npm install' },
    ]);
  });

  it('counts columns in UTF-16 code units', () => {
    const [issue] = analyzeShell('echo "😀é"; npm install').issues;
    expect(issue.column).toBe('echo "😀é"; '.length);
  });

  it('keeps snippets on one line and short', () => {
    const long = `pip install ${'pkg '.repeat(100)}`;
    const [issue] = analyzeShell(long).issues;
    expect(issue.snippet.length).toBeLessThanOrEqual(200);
    expect(issue.snippet).not.toMatch(/\n/);
  });
});

describe('shells and parse errors', () => {
  it('only analyses sh, bash and mksh', () => {
    expect(analyzeShell('curl x | sh', { shell: 'bash' }).issues).toHaveLength(1);
    expect(analyzeShell('curl x | sh', { shell: '/bin/sh' }).issues).toHaveLength(1);
    expect(analyzeShell('curl x | sh', { shell: 'bash -e {0}' }).issues).toHaveLength(1);
    for (const shell of ['pwsh', 'powershell', 'cmd', 'python', 'ksh', 'dash', 'zsh']) {
      const r = analyzeShell('curl x | sh', { shell });
      expect(r.issues).toHaveLength(0);
      expect(r.errors).toHaveLength(1);
    }
  });

  it('reports a script that does not parse as an error, with no issues (as Scorecard)', () => {
    for (const bad of ['fi\n', 'if true curl x | sh', 'echo "unterminated', "echo 'x", 'print("hello world")', '(', 'a &&', 'cat <<EOF']) {
      const r = analyzeShell(`curl x | sh\n${bad}`);
      expect(r.issues, bad).toHaveLength(0);
      expect(r.errors, bad).toHaveLength(1);
      expect(r.errors[0]).toMatch(/parse error at line 2/);
    }
  });

  it('a script that does not parse records no downloads either', () => {
    const ctx = createShellContext();
    expect(analyzeShell('wget http://x.io/a -O /tmp/a\nfi', { context: ctx }).errors).toHaveLength(1);
    expect(analyzeShell('/tmp/a', { context: ctx }).issues).toHaveLength(0);
  });

  it('a bad `sh -c` string is an error but the rest of the script still counts', () => {
    const r = analyzeShell(`sh -c "if x"\ncurl x | sh`);
    expect(r.issues).toHaveLength(1);
    expect(r.errors).toHaveLength(1);
  });

  it('parses the bash constructs real scripts use', () => {
    const script = [
      'set -euo pipefail',
      'f() { local a=(1 2 3); echo "${a[@]}"; }',
      'function g { [[ $1 =~ ^v([0-9]+)$ ]] && echo ok; }',
      'case "$x" in',
      '  a|b) echo ab ;;',
      '  *) echo other ;&',
      'esac',
      'for ((i=0; i<3; i++)); do echo $((i * 2)); done',
      'while read -r l; do echo "$l"; done < <(ls)',
      'cat <<-EOF > /tmp/x',
      '\tbody $HOME',
      '\tEOF',
      "echo $'a\\tb' ${HOME:-/root} `date` 2>&1 >/dev/null &",
      'time ls | wc -l',
      '! grep -q x file || true',
      'arr+=(x) ; export A=1 B=$(pwd)',
      'shopt -s extglob; ls !(foo)',
      'curl -s https://x.io | sh',
    ].join('\n');
    const r = analyzeShell(script);
    expect(r.errors).toEqual([]);
    expect(r.issues.map((i) => i.line)).toEqual([17]);
  });

  it('tolerates CRLF line ends', () => {
    const r = analyzeShell('if true; then\r\n  npm install\r\nfi\r\n');
    expect(r.errors).toEqual([]);
    expect(r.issues).toHaveLength(1);
  });
});

describe('robustness', () => {
  // First in this group: the pathological inputs below leave the JIT in a slower state.
  it('analyses a 5 MB script completely, in linear time (speed itself is measured by npm run bench)', () => {
    const chunk = [
      'if [ -n "$X" ]; then echo "${X}" | grep -q foo && curl -s https://x.io/i.sh | bash; fi',
      "FOO=$(cat /etc/os-release | awk -F= '/^ID=/{print $2}')",
      'for f in *.txt; do sed -i "s/a/b/" "$f"; done # comment',
      'pip install --require-hashes -r requirements.txt',
      '',
    ].join('\n');
    const script = chunk.repeat(Math.ceil((5 * 1024 * 1024) / chunk.length));
    analyzeShell(chunk.repeat(2000)); // warm up the JIT
    // CPU time, not wall time: the test must not fail because the machine is busy.
    const before = process.cpuUsage();
    const r = analyzeShell(script);
    const used = process.cpuUsage(before);
    const ms = used.user / 1000;
    expect(r.errors).toEqual([]);
    expect(r.issues.length).toBe(Math.ceil((5 * 1024 * 1024) / chunk.length));
    // A hang guard, not a speed target: quadratic behaviour on 5 MB would take minutes.
    expect(ms).toBeLessThan(20_000);
  });

  it('never throws on garbage', () => {
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = `abc |&;()<>$\`'"\\{}[]#=\n\t*?!@-c0`;
    for (let n = 0; n < 300; n++) {
      const len = Math.floor(rand() * 200);
      let s = '';
      for (let i = 0; i < len; i++)
        s += rand() < 0.1 ? String.fromCharCode(Math.floor(rand() * 0xffff)) : alphabet[Math.floor(rand() * alphabet.length)];
      const r = analyzeShell(s);
      expect(Array.isArray(r.issues) && Array.isArray(r.errors)).toBe(true);
    }
    for (const s of ['"', "'", '`', '$(', '${', '$((', '<(', '[[ x', 'case x in', '\\', '\u0000\u0001\u0002', 'if', 'for']) {
      expect(() => analyzeShell(s)).not.toThrow();
    }
    expect(() => analyzeShell(undefined as unknown as string)).not.toThrow();
    expect(() => isShellScript('x.sh', undefined as unknown as string)).not.toThrow();
  });

  it('bounds nesting: 10k parentheses, substitutions and sh -c levels', () => {
    const deep = [
      '( '.repeat(10_000) + 'curl x | sh' + ' )'.repeat(10_000),
      '$('.repeat(10_000) + 'curl x | sh' + ')'.repeat(10_000),
      '{ '.repeat(10_000) + 'curl x | sh; ' + '}; '.repeat(10_000),
      'echo "$(echo "'.repeat(10_000) + ')"'.repeat(10_000),
    ];
    for (const s of deep) {
      const r = analyzeShell(s);
      expect(r.issues).toEqual([]);
      expect(r.errors.join()).toMatch(/nesting deeper than/);
    }
    // `((((…))))` is one arithmetic command: fine, and nothing to report.
    expect(analyzeShell('('.repeat(10_000) + 'ls' + ')'.repeat(10_000)).issues).toEqual([]);
    let nested = 'curl x | sh';
    for (let i = 0; i < 12; i++) nested = `sh -c '${nested.replace(/'/g, `'\\''`)}'`;
    expect(() => analyzeShell(nested)).not.toThrow();
    const chain = Array.from({ length: 50_000 }, (_, i) => `echo ${i}`).join(' && ') + ' | ' + 'cat';
    expect(analyzeShell(chain).errors).toEqual([]);
  });
});

describe('isShellScript', () => {
  it('decides by shebang when there is one', () => {
    expect(isShellScript('x', '#!/bin/bash\necho')).toBe(true);
    expect(isShellScript('x', '#!/usr/bin/bash\n')).toBe(true);
    expect(isShellScript('x', '#!/bin/env bash\n')).toBe(true);
    expect(isShellScript('x', '#!env bash -euo pipefail\n')).toBe(true);
    expect(isShellScript('x', '#!/bin/sh -e\r\n')).toBe(true);
    expect(isShellScript('x', '#!/bin/mksh\n')).toBe(true);
    expect(isShellScript('x', '#! /bin/sh\n')).toBe(true);
    expect(isShellScript('x', '#!/usr/bin/env -S bash -e\n')).toBe(true);
    expect(isShellScript('x.sh', '#!/usr/bin/awk -f\n')).toBe(false);
    expect(isShellScript('x.sh', '#!/bin/zsh\n')).toBe(false);
    expect(isShellScript('x.sh', '#!/usr/bin/env python3\n')).toBe(false);
    expect(isShellScript('x.sh', '#!/bin/ksh\n')).toBe(false);
  });

  it('falls back to the extension (.sh, .bash, .mksh)', () => {
    expect(isShellScript('scripts/build.sh', 'echo hi\n')).toBe(true);
    expect(isShellScript('build.bash', '')).toBe(true);
    expect(isShellScript('build.mksh', 'ls')).toBe(true);
    expect(isShellScript('build.ksh', 'ls')).toBe(false);
    expect(isShellScript('build.zsh', 'ls')).toBe(false);
    expect(isShellScript('build.SH', 'ls')).toBe(false);
    expect(isShellScript('Makefile', 'all:\n\tcurl x | sh')).toBe(false);
  });
});
