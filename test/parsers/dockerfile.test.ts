import { describe, expect, it } from 'vitest';
import { parseDockerfile, DOCKERFILE_PATH } from '../../src/parsers/dockerfile.js';

describe('parseDockerfile', () => {
  it('resolves ARG defaults, stages, flags and continuation lines', () => {
    const df = parseDockerfile(
      'Dockerfile',
      [
        '# syntax=docker/dockerfile:1',
        'ARG BASE=golang:1.22',
        'ARG DIGEST',
        'FROM --platform=$BUILDPLATFORM ${BASE} AS build',
        'RUN --mount=type=cache,target=/root/.cache \\',
        '    # a comment inside the continuation',
        '    curl -sSL https://x.example/i.sh \\',
        '    | sh',
        'FROM build AS test',
        'FROM alpine@sha256:' + 'b'.repeat(64),
        'FROM $DIGEST',
        'FROM scratch',
        'RUN ["/bin/sh", "-c", "wget -O- https://y | bash"]',
        'RUN ["echo", "not a shell"]',
      ].join('\n'),
    );
    expect(df.froms.map((f) => [f.raw, f.image, f.stageName, f.isStage, f.loc.line])).toEqual([
      ['${BASE}', 'golang:1.22', 'build', false, 4],
      ['build', 'build', 'test', true, 9],
      ['alpine@sha256:' + 'b'.repeat(64), 'alpine@sha256:' + 'b'.repeat(64), undefined, false, 10],
      ['$DIGEST', undefined, undefined, false, 11],
      ['scratch', 'scratch', undefined, false, 12],
    ]);
    expect(df.runs).toHaveLength(3);
    expect(df.runs[2]).toMatchObject({ execForm: true, script: '', argv: ['echo', 'not a shell'] });
    expect(df.runs[0]).toMatchObject({ execForm: false, loc: { line: 5 }, lineMap: [5, 7, 8] });
    expect(df.runs[0].script.split('\n')).toEqual(['', '    curl -sSL https://x.example/i.sh ', '    | sh']);
    expect(df.runs[1]).toMatchObject({ execForm: true, script: 'wget -O- https://y | bash', loc: { line: 13 } });
  });

  it('never throws on junk', () => {
    expect(parseDockerfile('Dockerfile', '\u0000\u0001garbage\nFROM\nRUN \\').issues[0].message).toBe('FROM without an image');
  });

  it('matches Dockerfile names', () => {
    for (const p of ['Dockerfile', 'a/Dockerfile.dev', 'build.dockerfile', 'Containerfile']) expect(DOCKERFILE_PATH.test(p), p).toBe(true);
    for (const p of ['docs/dockerfile-guide.md/x', 'README.md']) expect(DOCKERFILE_PATH.test(p), p).toBe(false);
  });
});
