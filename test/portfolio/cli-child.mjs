/** The CLI from the TypeScript sources (with ts-loader.mjs): what bin/slsa-scorecard.js does with the build. */
const { main } = await import('../../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
