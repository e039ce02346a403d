/**
 * Realistic file contents for the benchmark repository: source files in several languages, GitHub
 * workflows, GitLab CI, Dockerfiles, shell scripts, binaries and the usual documents. Shapes are
 * borrowed from real projects (the corpus in ../shared/corpus); everything is deterministic.
 */
import type { Rng } from './random.js';

// ---------------------------------------------------------------------------------------------
// Source files

export type Lang = 'ts' | 'js' | 'go' | 'py' | 'c' | 'h' | 'java';

function fill(rng: Rng, target: number, head: string, block: () => string, tail = ''): string {
  let s = head;
  while (s.length < target) s += block();
  return s + tail;
}

export function sourceFile(rng: Rng, lang: Lang, name: string, target: number): string {
  const id = () => rng.ident();
  switch (lang) {
    case 'ts':
      return fill(
        rng,
        target,
        `import { ${id()} } from './${rng.pick(['util', 'types', 'model', 'errors'])}.js';\nimport type { ${id()} } from '../${rng.pick(['core', 'shared', 'api'])}/index.js';\n\n` +
          `export interface ${name}Options {\n  timeoutMs?: number;\n  retries: number;\n  label: string;\n}\n\n`,
        () => {
          const f = id();
          return `/** ${f}: computes the ${rng.pick(['next', 'current', 'merged', 'final'])} state. */\nexport async function ${f}(input: ${name}Options, items: readonly string[]): Promise<number> {\n  let total = 0;\n  for (const item of items) {\n    if (item.length > input.retries) total += item.charCodeAt(0) % ${rng.int(3, 97)};\n    else total -= ${rng.int(1, 9)};\n  }\n  return input.timeoutMs ? Math.min(total, input.timeoutMs) : total;\n}\n\n`;
        },
      );
    case 'js':
      return fill(rng, target, `'use strict';\nconst { ${id()} } = require('./${rng.pick(['lib', 'helpers', 'constants'])}');\n\n`, () => {
        const f = id();
        return `function ${f}(opts, cb) {\n  const out = [];\n  for (let i = 0; i < (opts.count || ${rng.int(2, 50)}); i++) {\n    out.push({ id: i, name: \`${f}-\${i}\` });\n  }\n  setImmediate(() => cb(null, out));\n}\nmodule.exports.${f} = ${f};\n\n`;
      });
    case 'go':
      return fill(
        rng,
        target,
        `// Package ${name.toLowerCase()} implements the ${rng.pick(['storage', 'transport', 'scheduling', 'signing'])} layer.\npackage ${name.toLowerCase()}\n\nimport (\n\t"context"\n\t"errors"\n\t"fmt"\n)\n\nvar Err${name} = errors.New("${name.toLowerCase()}: invalid state")\n\n`,
        () => {
          const f = id().replace(/^./, (c) => c.toUpperCase());
          return `// ${f} processes one batch.\nfunc ${f}(ctx context.Context, in []string) (int, error) {\n\tn := 0\n\tfor _, s := range in {\n\t\tselect {\n\t\tcase <-ctx.Done():\n\t\t\treturn n, ctx.Err()\n\t\tdefault:\n\t\t}\n\t\tif len(s) > ${rng.int(1, 64)} {\n\t\t\treturn n, fmt.Errorf("%w: %q", Err${name}, s)\n\t\t}\n\t\tn++\n\t}\n\treturn n, nil\n}\n\n`;
        },
      );
    case 'py':
      return fill(
        rng,
        target,
        `"""${name}: ${rng.pick(['helpers', 'models', 'views', 'tasks'])} for the ${rng.pick(['api', 'worker', 'cli'])}."""\nfrom __future__ import annotations\n\nimport logging\nfrom dataclasses import dataclass\n\nlog = logging.getLogger(__name__)\n\n`,
        () => {
          const f = id();
          return `@dataclass\nclass ${f[0].toUpperCase()}${f.slice(1)}:\n    name: str\n    size: int = ${rng.int(0, 100)}\n\n    def grow(self, by: int) -> int:\n        log.debug("growing %s by %d", self.name, by)\n        self.size += by\n        return self.size\n\n\ndef ${f.toLowerCase()}(items: list[str]) -> dict[str, int]:\n    return {i: len(i) for i in items if i}\n\n\n`;
        },
      );
    case 'c':
    case 'h':
      return fill(
        rng,
        target,
        `/* ${name}.${lang} — ${rng.pick(['ring buffer', 'hash table', 'arena allocator', 'utf-8 decoder'])} */\n#include <stdint.h>\n#include <stdlib.h>\n#include <string.h>\n#include "${name.toLowerCase()}.h"\n\n`,
        () => {
          const f = id().toLowerCase();
          return lang === 'h'
            ? `int ${f}_init(struct ${f} *s, size_t cap);\nvoid ${f}_free(struct ${f} *s);\n\n`
            : `static size_t ${f}(const uint8_t *buf, size_t len) {\n    size_t h = ${rng.int(1, 65535)}u;\n    for (size_t i = 0; i < len; i++) {\n        h = (h * 31u) ^ buf[i];\n    }\n    return h;\n}\n\n`;
        },
      );
    case 'java':
      return fill(
        rng,
        target,
        `package org.example.${name.toLowerCase()};\n\nimport java.util.List;\nimport java.util.Objects;\n\npublic final class ${name} {\n`,
        () => {
          const f = id();
          return `    /** Returns the ${f} of the list. */\n    public static int ${f}(List<String> items) {\n        Objects.requireNonNull(items);\n        int n = 0;\n        for (String s : items) {\n            n += s.length() % ${rng.int(2, 40)};\n        }\n        return n;\n    }\n\n`;
        },
        '}\n',
      );
  }
}

// ---------------------------------------------------------------------------------------------
// GitHub workflows (synthetic; real corpus workflows are added alongside)

const ACTIONS: ReadonlyArray<[string, string]> = [
  ['actions/checkout', 'v4'],
  ['actions/setup-node', 'v4'],
  ['actions/setup-go', 'v5'],
  ['actions/setup-python', 'v5'],
  ['actions/setup-java', 'v4'],
  ['actions/cache', 'v4'],
  ['actions/upload-artifact', 'v4'],
  ['actions/download-artifact', 'v4'],
  ['docker/setup-buildx-action', 'v3'],
  ['docker/login-action', 'v3'],
  ['docker/build-push-action', 'v6'],
  ['github/codeql-action/init', 'v3'],
  ['github/codeql-action/analyze', 'v3'],
  ['golangci/golangci-lint-action', 'v6'],
  ['softprops/action-gh-release', 'v2'],
  ['peter-evans/create-pull-request', 'v6'],
  ['sigstore/cosign-installer', 'v3.5.0'],
  ['step-security/harden-runner', 'v2.10.1'],
  ['ossf/scorecard-action', 'v2.4.0'],
  ['codecov/codecov-action', 'v4'],
];

const RUNS = [
  'npm ci\nnpm test',
  'npm install\nnpm run build',
  'npm install -g typescript@5',
  'pip install -r requirements.txt\npytest -q',
  'pip install black flake8\nflake8 .',
  'python -m pip install --upgrade pip\npip install .',
  'curl -sSfL https://raw.githubusercontent.com/golangci/golangci-lint/master/install.sh | sh -s -- -b $(go env GOPATH)/bin v1.59.0',
  'curl -fsSL https://get.docker.com | sh',
  'wget -qO- https://example.com/install.sh | bash',
  'bash <(curl -s https://codecov.io/bash)',
  'go install golang.org/x/vuln/cmd/govulncheck@latest\ngovulncheck ./...',
  'go build ./...\ngo test -race ./...',
  'go get github.com/foo/bar',
  'make -j$(nproc) all',
  'sudo apt-get update && sudo apt-get install -y build-essential libssl-dev',
  './scripts/ci/setup.sh\n./scripts/ci/test.sh',
  'docker build -t ghcr.io/example/app:${{ github.sha }} .',
  'echo "Title: ${{ github.event.pull_request.title }}"',
  'echo "${{ github.event.issue.body }}" > body.txt',
  'gem install bundler && bundle install',
  'cargo build --release --locked',
  'choco install -y nodejs',
  'mvn -B package --file pom.xml',
  './gradlew build',
];

const PERMISSIONS = [
  '',
  'permissions: read-all\n',
  'permissions: write-all\n',
  'permissions:\n  contents: read\n',
  'permissions:\n  contents: write\n  packages: write\n',
  'permissions:\n  contents: read\n  id-token: write\n  attestations: write\n',
  'permissions: {}\n',
];

const TRIGGERS = [
  'on: [push, pull_request]\n',
  'on:\n  push:\n    branches: [main]\n  pull_request:\n    branches: [main]\n',
  'on:\n  pull_request_target:\n    types: [opened, synchronize]\n',
  'on:\n  workflow_dispatch:\n  schedule:\n    - cron: "17 3 * * 1"\n',
  'on:\n  release:\n    types: [published]\n',
  'on:\n  push:\n    tags: ["v*"]\n',
  'on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\n',
  'on:\n  issue_comment:\n    types: [created]\n',
  'on:\n  workflow_call:\n    inputs:\n      version:\n        type: string\n        required: true\n',
];

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

function usesRef(rng: Rng, action: string, tag: string): string {
  const r = rng.next();
  if (r < 0.45) return `${action}@${tag}`;
  if (r < 0.85) return `${action}@${rng.hex(40)} # ${tag}.${rng.int(0, 9)}.${rng.int(0, 9)}`;
  if (r < 0.93) return `${action}@main`;
  return `${action}@${tag}.${rng.int(0, 3)}`;
}

function step(rng: Rng): string {
  const r = rng.next();
  if (r < 0.5) {
    const [a, t] = rng.pick(ACTIONS);
    let s = `- name: ${a.split('/')[1]}\n  uses: ${usesRef(rng, a, t)}\n`;
    if (a === 'actions/checkout' && rng.chance(0.3))
      s += `  with:\n    ref: \${{ github.event.pull_request.head.sha }}\n    persist-credentials: false\n`;
    else if (a.startsWith('actions/setup-'))
      s += `  with:\n    ${a.endsWith('node') ? 'node-version' : a.endsWith('go') ? 'go-version' : a.endsWith('python') ? 'python-version' : 'java-version'}: \${{ matrix.version }}\n`;
    else if (a === 'actions/cache') s += `  with:\n    path: ~/.cache\n    key: \${{ runner.os }}-\${{ hashFiles('**/lockfiles') }}\n`;
    return s;
  }
  if (r < 0.55) return `- uses: docker://alpine:3.${rng.int(15, 20)}\n`;
  if (r < 0.6) return `- uses: ./.github/actions/setup-env\n`;
  const run = rng.pick(RUNS);
  let s = `- name: ${rng.pick(['Build', 'Test', 'Install', 'Lint', 'Release', 'Setup'])} ${rng.ident()}\n`;
  if (rng.chance(0.2)) s += `  shell: bash\n`;
  if (rng.chance(0.15)) s += `  env:\n    GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}\n    REF: \${{ github.head_ref }}\n`;
  s += run.includes('\n') ? `  run: |\n${indent(run, 4)}\n` : `  run: ${run}\n`;
  return s;
}

export function syntheticWorkflow(rng: Rng, n: number): string {
  let s = `name: ${rng.pick(['CI', 'Build', 'Release', 'Lint', 'Docs', 'Nightly', 'Publish', 'Scorecard', 'CodeQL'])} ${n}\n\n`;
  s += rng.pick(TRIGGERS) + '\n';
  s += rng.pick(PERMISSIONS);
  if (rng.chance(0.3)) s += `\nconcurrency:\n  group: \${{ github.workflow }}-\${{ github.ref }}\n  cancel-in-progress: true\n`;
  if (rng.chance(0.3)) s += `\nenv:\n  GO_VERSION: "1.22"\n  NODE_VERSION: 20\n`;
  s += '\njobs:\n';
  const jobs = rng.int(1, 5);
  for (let j = 0; j < jobs; j++) {
    let job = `${rng.pick(['build', 'test', 'lint', 'release', 'publish', 'analyze', 'docker'])}-${j}:\n`;
    if (rng.chance(0.3)) job += `  name: ${rng.ident()} (\${{ matrix.os }})\n`;
    if (j > 0 && rng.chance(0.5)) job += `  needs: [${['build', 'test', 'lint', 'release', 'publish', 'analyze', 'docker'][0]}-0]\n`;
    if (rng.chance(0.1)) {
      job += `  uses: ${usesRef(rng, 'slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml', 'v2')}\n  with:\n    base64-subjects: \${{ needs.build-0.outputs.hashes }}\n`;
      s += indent(job, 2) + '\n';
      continue;
    }
    job += `  runs-on: ${rng.pick(['ubuntu-latest', '${{ matrix.os }}', 'ubuntu-22.04', 'macos-14', 'windows-latest', '[self-hosted, linux, x64]'])}\n`;
    if (rng.chance(0.35))
      job += `  permissions:\n    contents: ${rng.pick(['read', 'write'])}\n${rng.chance(0.4) ? '    id-token: write\n' : ''}${rng.chance(0.3) ? '    security-events: write\n' : ''}`;
    if (rng.chance(0.2)) job += `  if: github.event_name == 'push' && startsWith(github.ref, 'refs/tags/')\n`;
    if (rng.chance(0.4)) {
      job += `  strategy:\n    fail-fast: false\n    matrix:\n      os: [ubuntu-latest, macos-latest, windows-latest]\n      version: [${rng.pick(['"18", "20", "22"', '"1.21", "1.22"', '"3.10", "3.11", "3.12"'])}]\n`;
      if (rng.chance(0.3)) job += `      include:\n        - os: ubuntu-latest\n          experimental: true\n`;
    }
    if (rng.chance(0.15))
      job += `  container:\n    image: ${rng.pick(['golang:1.22', `node:20@sha256:${rng.hex(64)}`, 'python:3.12-slim', 'ghcr.io/example/builder:latest'])}\n`;
    if (rng.chance(0.08)) job += `  services:\n    postgres:\n      image: postgres:16\n      ports: ["5432:5432"]\n`;
    if (rng.chance(0.2)) job += `  timeout-minutes: ${rng.int(5, 90)}\n`;
    job += '  steps:\n';
    const steps = rng.int(2, 12);
    for (let k = 0; k < steps; k++) job += indent(step(rng), 4);
    s += indent(job, 2) + '\n';
  }
  return s;
}

export const COMPOSITE_ACTION = `name: Set up environment
description: Installs toolchains used by every job
inputs:
  go-version:
    description: Go version
    default: "1.22"
runs:
  using: composite
  steps:
    - uses: actions/setup-go@v5
      with:
        go-version: \${{ inputs.go-version }}
    - uses: actions/setup-node@1d0ff469b7ec7b3cb9d8673fde0c81c44821de2a # v4.2.0
    - shell: bash
      run: |
        curl -sSL https://install.example.com/tool.sh | bash
        npm install -g pnpm
`;

export const DEPENDABOT = `version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
  - package-ecosystem: gomod
    directory: /services
    schedule:
      interval: daily
  - package-ecosystem: npm
    directory: /web
    schedule:
      interval: weekly
`;

// ---------------------------------------------------------------------------------------------
// GitLab CI with local includes

export const GITLAB_FILES: Record<string, string> = {
  '.gitlab-ci.yml': `include:
  - local: /ci/gitlab/common.gitlab-ci.yml
  - local: ci/gitlab/build.gitlab-ci.yml
  - local: ci/gitlab/test.gitlab-ci.yml
  - local: 'ci/gitlab/deploy/*.yml'
  - project: example/ci-templates
    ref: v1.4.0
    file: /templates/security.yml
  - template: Security/SAST.gitlab-ci.yml

stages: [prepare, build, test, release, deploy]

variables:
  GIT_DEPTH: "20"
  DOCKER_DRIVER: overlay2

workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    - if: $CI_COMMIT_TAG

prepare:
  stage: prepare
  image: alpine:3.20
  script:
    - apk add --no-cache curl git
    - curl -fsSL https://get.example.com/install.sh | sh
`,
  'ci/gitlab/common.gitlab-ci.yml': `.go-cache:
  variables:
    GOPATH: $CI_PROJECT_DIR/.go
  cache:
    key: go-$CI_COMMIT_REF_SLUG
    paths: [.go/pkg/mod/]

.docker:
  image: docker:27.1
  services:
    - docker:27.1-dind
  before_script:
    - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin $CI_REGISTRY
`,
  'ci/gitlab/build.gitlab-ci.yml': `build:go:
  stage: build
  extends: .go-cache
  image: golang:1.22@sha256:${'a1'.repeat(32)}
  script:
    - go build -o bin/ ./...
  artifacts:
    paths: [bin/]

build:image:
  stage: build
  extends: .docker
  script:
    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .
    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
`,
  'ci/gitlab/test.gitlab-ci.yml': `test:unit:
  stage: test
  extends: .go-cache
  image: golang:1.22
  parallel:
    matrix:
      - GOARCH: [amd64, arm64]
  script:
    - go install gotest.tools/gotestsum@latest
    - gotestsum -- -race ./...

test:python:
  stage: test
  image: python:3.12
  script:
    - pip install -r requirements.txt
    - pytest
`,
  'ci/gitlab/deploy/staging.yml': `deploy:staging:
  stage: deploy
  image: alpine:latest
  environment: staging
  script:
    - wget -qO- https://example.com/deploy.sh | sh
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
`,
  'ci/gitlab/deploy/production.yml': `deploy:production:
  stage: deploy
  image: alpine:3.20
  environment: production
  script:
    - ./scripts/deploy.sh production
  rules:
    - if: $CI_COMMIT_TAG
      when: manual
`,
};

// ---------------------------------------------------------------------------------------------
// Dockerfiles and shell scripts

export function dockerfile(rng: Rng): string {
  const base = rng.pick([
    'golang:1.22',
    `golang:1.22@sha256:${rng.hex(64)}`,
    'node:20-alpine',
    'python:3.12-slim',
    `gcr.io/distroless/static:nonroot@sha256:${rng.hex(64)}`,
    'ubuntu:22.04',
    'alpine',
    'eclipse-temurin:21-jre',
  ]);
  let s = `# syntax=docker/dockerfile:1.7\nFROM ${base} AS build\nWORKDIR /src\n`;
  if (base.startsWith('golang'))
    s += 'COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\n';
  else if (base.startsWith('node')) s += 'COPY package*.json ./\nRUN npm ci\nRUN npm install -g pnpm@9\nCOPY . .\nRUN npm run build\n';
  else if (base.startsWith('python'))
    s += 'COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nRUN pip install gunicorn\nCOPY . .\n';
  else s += 'RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*\n';
  if (rng.chance(0.4)) s += 'RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -\n';
  if (rng.chance(0.3)) s += 'RUN wget -O - https://example.com/tool.tar.gz | tar xz -C /usr/local/bin\n';
  if (rng.chance(0.6)) {
    s += `\nFROM ${rng.pick(['gcr.io/distroless/static:nonroot', `alpine:3.20@sha256:${rng.hex(64)}`, 'scratch', 'debian:bookworm-slim'])}\n`;
    s += 'COPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]\n';
  }
  return s;
}

export function shellScript(rng: Rng): string {
  let s = `#!/usr/bin/env bash\nset -euo pipefail\n\nROOT="$(cd "$(dirname "\${BASH_SOURCE[0]}")/.." && pwd)"\ncd "$ROOT"\n\n`;
  const lines = [
    'curl -sSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash',
    'pip install -r requirements-dev.txt',
    'pip3 install pre-commit==3.7.1',
    'npm install --no-save prettier',
    'go install github.com/google/ko@latest',
    'wget -q https://example.com/release.tar.gz -O /tmp/r.tgz && tar -xzf /tmp/r.tgz -C /usr/local',
    'for f in $(git ls-files "*.go"); do gofmt -l "$f"; done',
    'if [[ -n "${CI:-}" ]]; then echo "running in CI"; fi',
    'docker build -t "example/app:${VERSION:-dev}" .',
    'make -C native all',
  ];
  const n = rng.int(3, 9);
  for (let i = 0; i < n; i++) s += `${rng.pick(lines)}\n`;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Binaries (magic numbers the Binary-Artifacts check knows) and other non-text files

export function binaryFile(rng: Rng, kind: 'elf' | 'macho' | 'pe' | 'class' | 'jar' | 'wasm' | 'pyc' | 'png', size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) b.writeUInt32LE(Math.floor(rng.next() * 0x100000000), Math.min(i, size - 4));
  const head: Record<typeof kind, number[]> = {
    elf: [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00],
    macho: [0xcf, 0xfa, 0xed, 0xfe, 0x07, 0x00, 0x00, 0x01],
    pe: [0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00],
    class: [0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x41],
    jar: [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x08, 0x08],
    wasm: [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    pyc: [0x6f, 0x0d, 0x0d, 0x0a, 0x00, 0x00, 0x00, 0x00],
    png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  };
  Buffer.from(head[kind]).copy(b);
  return b;
}

// ---------------------------------------------------------------------------------------------
// Documents

export const LICENSE = `
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION

   1. Definitions.

      "License" shall mean the terms and conditions for use, reproduction,
      and distribution as defined by Sections 1 through 9 of this document.

      "Licensor" shall mean the copyright owner or entity authorized by
      the copyright owner that is granting the License.

      "Legal Entity" shall mean the union of the acting entity and all
      other entities that control, are controlled by, or are under common
      control with that entity. For the purposes of this definition,
      "control" means (i) the power, direct or indirect, to cause the
      direction or management of such entity, whether by contract or
      otherwise, or (ii) ownership of fifty percent (50%) or more of the
      outstanding shares, or (iii) beneficial ownership of such entity.

   END OF TERMS AND CONDITIONS

   Licensed under the Apache License, Version 2.0 (the "License");
   you may not use this file except in compliance with the License.
   You may obtain a copy of the License at

       http://www.apache.org/licenses/LICENSE-2.0
`;

export const SECURITY_MD = `# Security Policy

## Supported Versions

| Version | Supported          |
| ------- | ------------------ |
| 2.x     | :white_check_mark: |
| < 2.0   | :x:                |

## Reporting a Vulnerability

Please report vulnerabilities privately through GitHub Security Advisories
(https://github.com/example/large-monorepo/security/advisories/new) or by email to
security@example.com. We acknowledge reports within 3 business days and aim to publish a fix
within 90 days. Please do not open public issues for security problems.
`;

export const README = `# large-monorepo

A synthetic monorepo used to benchmark slsa-scorecard: services in Go, a web front end in
TypeScript, Python tooling, native C libraries and a Java SDK.
`;
