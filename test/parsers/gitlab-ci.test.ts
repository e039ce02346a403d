import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseGitlabCi, type CiLoader } from '../../src/parsers/gitlab-ci.js';
import { CORPUS_DIR } from '../helpers/shared.js';

const mem = (files: Record<string, string>): CiLoader => ({ read: async (p) => files[p], list: () => Object.keys(files) });

describe('parseGitlabCi', () => {
  it('resolves local includes, extends, default and !reference with per-file positions', async () => {
    const files = {
      '.gitlab-ci.yml': [
        'include:',
        '  - local: /ci/templates.yml',
        '  - project: group/tools',
        '    ref: 0123456789abcdef0123456789abcdef01234567',
        '    file: /t.yml',
        '  - remote: https://example.com/x.yml',
        '  - template: Security/SAST.gitlab-ci.yml',
        '  - component: $CI_SERVER_FQDN/g/c/build@1.2.0',
        'default:',
        '  image: alpine:3.20',
        'variables:',
        '  GLOBAL: "1"',
        'build:',
        '  extends: .base',
        '  script:',
        '    - !reference [.setup, script]',
        '    - make',
        '  id_tokens:',
        '    SIGSTORE_ID_TOKEN:',
        '      aud: sigstore',
        '  artifacts:',
        '    reports:',
        '      cyclonedx: sbom.json',
        'release-job:',
        '  image: registry.gitlab.com/gitlab-org/release-cli@sha256:' + 'a'.repeat(64),
        '  release:',
        '    tag_name: $CI_COMMIT_TAG',
        '  script: [echo release]',
      ].join('\n'),
      'ci/templates.yml': [
        '.base:',
        '  stage: test',
        '  services: [postgres:16]',
        '  variables:',
        '    FROM_BASE: "yes"',
        '.setup:',
        '  script:',
        '    - curl -sSL https://x | sh',
      ].join('\n'),
    };
    const ci = await parseGitlabCi('.gitlab-ci.yml', files['.gitlab-ci.yml'], mem(files));
    expect(ci.issues).toEqual([]);
    expect(ci.files).toEqual(['.gitlab-ci.yml', 'ci/templates.yml']);
    expect(ci.includes.map((i) => [i.kind, i.value, i.ref, i.loc.line])).toEqual([
      ['local', '/ci/templates.yml', undefined, 2],
      ['project', '/t.yml', '0123456789abcdef0123456789abcdef01234567', 3],
      ['remote', 'https://example.com/x.yml', undefined, 6],
      ['template', 'Security/SAST.gitlab-ci.yml', undefined, 7],
      ['component', '$CI_SERVER_FQDN/g/c/build@1.2.0', '1.2.0', 8],
    ]);
    const build = ci.jobs.find((j) => j.name === 'build')!;
    expect(build.stage).toBe('test');
    expect(build.image).toMatchObject({ value: 'alpine:3.20', loc: { path: '.gitlab-ci.yml', line: 10 } });
    expect(build.services.map((s) => [s.value, s.loc.path, s.loc.line])).toEqual([['postgres:16', 'ci/templates.yml', 3]]);
    expect(build.scripts.map((s) => [s.value, s.loc.path, s.loc.line])).toEqual([
      ['curl -sSL https://x | sh', 'ci/templates.yml', 8],
      ['make', '.gitlab-ci.yml', 17],
    ]);
    expect(build.idTokens).toMatchObject([{ name: 'SIGSTORE_ID_TOKEN', aud: ['sigstore'], loc: { line: 19 } }]);
    expect(build.reports.map((r) => r.value)).toEqual(['cyclonedx']);
    expect(Object.keys(build.variables).sort()).toEqual(['FROM_BASE', 'GLOBAL']);
    const rel = ci.jobs.find((j) => j.name === 'release-job')!;
    expect(rel.release).toMatchObject({ line: 27 });
    expect(ci.jobs.map((j) => j.name)).toEqual(['build', 'release-job']);
  });

  it('reports a missing local include and an unknown extends, and keeps going', async () => {
    const text = 'include: missing.yml\njob:\n  extends: .nowhere\n  script: echo hi\n';
    const ci = await parseGitlabCi('.gitlab-ci.yml', text, mem({ '.gitlab-ci.yml': text }));
    expect(ci.issues.map((i) => i.message)).toEqual([
      'local include `missing.yml` was not found in the repository',
      'job `job` extends `.nowhere`, which is not defined in the files read (it may come from a non-local include)',
    ]);
    expect(ci.jobs[0].scripts[0].value).toBe('echo hi');
  });

  it('skips a spec: header document and include cycles terminate', async () => {
    const files = {
      '.gitlab-ci.yml': 'spec:\n  inputs:\n    x: {default: 1}\n---\ninclude: a.yml\njob:\n  script: [echo]\n',
      'a.yml': 'include: .gitlab-ci.yml\n',
    };
    const ci = await parseGitlabCi('.gitlab-ci.yml', files['.gitlab-ci.yml'], mem(files));
    expect(ci.jobs.map((j) => j.name)).toEqual(['job']);
    expect(ci.files).toEqual(['.gitlab-ci.yml', 'a.yml']);
  });

  it('glob includes expand against the file list', async () => {
    const files = {
      '.gitlab-ci.yml': "include:\n  - local: 'src/**/ci/gitlab-ci.yml'\n",
      'src/a/ci/gitlab-ci.yml': 'a:\n  script: [x]\n',
      'src/b/c/ci/gitlab-ci.yml': 'b:\n  script: [y]\n',
    };
    const ci = await parseGitlabCi('.gitlab-ci.yml', files['.gitlab-ci.yml'], mem(files));
    expect(ci.jobs.map((j) => j.name).sort()).toEqual(['a', 'b']);
  });

  describe('real-world corpus', () => {
    const root = join(CORPUS_DIR, 'gitlab');
    const projects = existsSync(root) ? readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()) : [];
    it.each(projects)('%s parses with positions', async (project) => {
      const dir = join(root, project);
      const all: Record<string, string> = {};
      const walk = (d: string) => {
        for (const n of readdirSync(d)) {
          const p = join(d, n);
          if (statSync(p).isDirectory()) walk(p);
          else all[relative(dir, p)] = readFileSync(p, 'utf8');
        }
      };
      walk(dir);
      if (!all['.gitlab-ci.yml']) return;
      const ci = await parseGitlabCi('.gitlab-ci.yml', all['.gitlab-ci.yml'], mem(all));
      // Some corpus files reference includes not copied; those are reported, never thrown.
      for (const i of ci.issues) expect(i.loc.line).toBeGreaterThanOrEqual(1);
      for (const j of ci.jobs) {
        expect(j.loc.line).toBeGreaterThanOrEqual(1);
        for (const s of j.scripts) expect(s.at(0, 0).line).toBeGreaterThanOrEqual(1);
      }
      expect(ci.jobs.length + ci.includes.length).toBeGreaterThan(0);
    });
  });
});
