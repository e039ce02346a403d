import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRemote, parseTarget, TargetError } from '../../src/target.js';

describe('parseTarget', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'target-'));

  it.each([
    ['owner/repo', 'github', 'github.com', 'owner/repo'],
    ['github.com/o/r', 'github', 'github.com', 'o/r'],
    ['https://github.com/o/r.git', 'github', 'github.com', 'o/r'],
    ['https://github.com/o/r/tree/main/src', 'github', 'github.com', 'o/r'],
    ['git@github.com:o/r.git', 'github', 'github.com', 'o/r'],
    ['ssh://git@github.com/o/r.git', 'github', 'github.com', 'o/r'],
    ['gitlab.com/group/sub/project', 'gitlab', 'gitlab.com', 'group/sub/project'],
    ['https://gitlab.com/group/sub/project/-/tree/main', 'gitlab', 'gitlab.com', 'group/sub/project'],
    ['git@gitlab.com:group/sub/project.git', 'gitlab', 'gitlab.com', 'group/sub/project'],
    ['https://gitlab.example.org/a/b', 'gitlab', 'gitlab.example.org', 'a/b'],
    ['ssh://git@gitlab.example.org:2222/a/b/c.git', 'gitlab', 'gitlab.example.org', 'a/b/c'],
    ['github.example.com/o/r', 'github', 'github.example.com', 'o/r'],
    ['https://ghe.example.com:8443/o/r', 'github', 'ghe.example.com:8443', 'o/r'],
  ])('%s → %s %s %s', (input, platform, host, repo) => {
    const t = parseTarget(input, { cwd, githubHosts: ['ghe.example.com:8443'] });
    expect(t).toMatchObject({ kind: 'remote', platform, host, repo });
  });

  it('local paths', () => {
    expect(parseTarget('.', { cwd })).toEqual({ kind: 'local', path: cwd });
    expect(parseTarget('./x/y', { cwd })).toEqual({ kind: 'local', path: join(cwd, 'x/y') });
    expect(parseTarget('/abs/dir', { cwd })).toEqual({ kind: 'local', path: '/abs/dir' });
  });

  it('a bare a/b that exists on disk is the directory', () => {
    mkdirSync(join(cwd, 'some/dir'), { recursive: true });
    expect(parseTarget('some/dir', { cwd })).toEqual({ kind: 'local', path: join(cwd, 'some/dir') });
  });

  it('unknown host needs --platform; with it, self-managed hosts work', () => {
    expect(() => parseTarget('code.example.org/a/b', { cwd })).toThrow(/--platform/);
    expect(parseTarget('code.example.org/a/b', { cwd, platform: 'gitlab' })).toMatchObject({ platform: 'gitlab', repo: 'a/b' });
  });

  it('clear errors for things that are not repositories', () => {
    expect(() => parseTarget('', { cwd })).toThrow(TargetError);
    expect(() => parseTarget('github.com/onlyowner', { cwd })).toThrow(TargetError);
    expect(parseTarget('github.com/a/b/c', { cwd })).toMatchObject({ kind: 'remote', repo: 'a/b' }); // web paths are trimmed
    expect(() => parseTarget('no-such-thing', { cwd })).toThrow(/cannot tell what to assess/);
  });

  it('parseRemote ignores non-remotes', () => {
    expect(parseRemote('justaword')).toBeUndefined();
  });
});
