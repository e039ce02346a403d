/** The library entry (src/index.ts): what a program embedding slsa-scorecard imports works end to end. */
import { expect, test } from 'vitest';
import { assess, builtinChecks, createSource, parseTarget, SourceError } from '../../src/index.js';
import { rulesetsScenario, TOKENS } from '../fake-github/scenarios.js';
import { withFake } from '../sources/github/helpers.js';

test('createSource + assess on a GitHub repository, through the public entry point', async () => {
  await withFake({ scenarios: [rulesetsScenario()] }, async (fake) => {
    const opts = { env: { GITHUB_TOKEN: TOKENS.admin }, githubApiUrl: fake.url, timeoutMs: 5_000 };
    const source = await createSource(parseTarget('github.com/acme/widget'), opts);
    const a = await assess(source, { checks: [...builtinChecks], services: { offline: true } });
    expect(a.target).toMatchObject({ platform: 'github', repo: 'acme/widget', source: 'github-api' });
    expect(a.checks.find((c) => c.name === 'Tag-Protection')?.score).toBe(10);
    expect(a.checks.find((c) => c.name === 'Org-Settings')?.score).toBe(10);
    const source12 = a.slsa!.frameworks.find((f) => f.id === 'slsa-v1.2-source')!;
    expect(source12.requirements.find((r) => r.id === 'source.protected-refs')?.state).toBe('met');
    await expect(createSource(parseTarget('github.com/acme/nope'), opts)).rejects.toBeInstanceOf(SourceError);
  });
});
