import { describe, expect, it } from 'vitest';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import check from '../../checks/license.js';
import { isApprovedExpression, isLicensePath, licenseFromFilename, licenseFromText } from '../../src/facts/providers/docs.js';
import { runCheckOnDir } from '../helpers/facts.js';
import { COMPAT_DIR, compatCases, useTempTrees } from '../helpers/shared.js';

const CASES = COMPAT_DIR;
const cases = compatCases(check.id);

const tree = useTempTrees();

const MIT = `MIT License

Copyright (c) 2024 Someone

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.
`;
const APACHE = `
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION
`;
const BSD3 = `Copyright (c) 2020, X
Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:
1. Redistributions of source code must retain the above copyright notice.
2. Redistributions in binary form must reproduce the above copyright notice.
3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.
`;
const GPL3 = `                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

 Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>
`;
const LGPL21 = `                  GNU LESSER GENERAL PUBLIC LICENSE
                       Version 2.1, February 1999
  This version of the GNU Lesser General Public License ... GNU General Public License, version 2, June 1991
`;

describe('License: Scorecard parity cases', () => {
  it('has the cases', () => expect(cases.length).toBe(50));
  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runCheckOnDir(check, join(CASES, c.dir));
    expect(c.compare).toBe('detected');
    expect((r.score ?? -1) >= 9).toBe(c.expected);
  });
});

describe('license file names', () => {
  it.each([
    'LICENSE',
    'LICENCE',
    'license.md',
    'LICENSE.txt',
    'COPYING',
    'COPYING.LESSER',
    'COPYRIGHT',
    'UNLICENSE',
    'PATENTS',
    'LICENSE-MIT',
    'LICENSE-APACHE',
    'MIT-LICENSE',
    'LICENSES/Apache-2.0.txt',
    'LICENSES/MIT.txt',
    'licenses/x',
  ])('%s is a license file', (p) => expect(isLicensePath(p)).toBe(true));
  it.each([
    'docs/LICENSE',
    'LICENSES/sub/MIT.txt',
    'license.yaml',
    'license.go',
    'licenses.json',
    'THIRD-PARTY-LICENSES.txt',
    'Artistic-1.0-Perl LICENSE',
    'licensing.md',
    'README.md',
    'OFL.txt',
    'GPL-3.0',
  ])('%s is not', (p) => expect(isLicensePath(p)).toBe(false));
});

describe('license recognition', () => {
  it.each([
    [MIT, 'MIT'],
    [APACHE, 'Apache-2.0'],
    [BSD3, 'BSD-3-Clause'],
    [BSD3.replace(/3\. Neither[\s\S]*$/, ''), 'BSD-2-Clause'],
    [GPL3, 'GPL-3.0'],
    [LGPL21, 'LGPL-2.1'],
    ['Mozilla Public License Version 2.0\n==================================\n', 'MPL-2.0'],
    [
      'ISC License\n\nPermission to use, copy, modify, and/or distribute this software for any\npurpose with or without fee is hereby granted, provided that the above\ncopyright notice and this permission notice appear in all copies.\n',
      'ISC',
    ],
    ['This is free and unencumbered software released into the public domain.\n', 'Unlicense'],
    ['Eclipse Public License - v 2.0\n', 'EPL-2.0'],
    ['                    GNU AFFERO GENERAL PUBLIC LICENSE\n                       Version 3, 19 November 2007\n', 'AGPL-3.0'],
    ['# SPDX-License-Identifier: MIT OR Apache-2.0\n', 'MIT OR Apache-2.0'],
    ['Business Source License 1.1\n', 'BUSL-1.1'],
  ])('%#: %s…', (text, id) => expect(licenseFromText(text)?.spdxId).toBe(id));

  it('recognises nothing in arbitrary text', () => expect(licenseFromText('All rights reserved. Do not copy.\n')).toBeUndefined());

  it('reads SPDX ids from file names', () => {
    expect(licenseFromFilename('LICENSES/Apache-2.0.txt')).toEqual({ spdxId: 'Apache-2.0', by: 'filename' });
    expect(licenseFromFilename('LICENSE-MIT')).toEqual({ spdxId: 'MIT', by: 'filename' });
    expect(licenseFromFilename('GPL-2.0-LICENSE')).toEqual({ spdxId: 'GPL-2.0', by: 'filename' });
    expect(licenseFromFilename('LICENSE-binary')).toBeUndefined();
  });

  it('judges SPDX expressions', () => {
    expect(isApprovedExpression('MIT OR Apache-2.0')).toBe(true);
    expect(isApprovedExpression('MIT AND BUSL-1.1')).toBe(false);
    expect(isApprovedExpression('(BUSL-1.1 OR MIT)')).toBe(true);
    expect(isApprovedExpression('GPL-2.0-or-later WITH Classpath-exception-2.0')).toBe(true);
    expect(isApprovedExpression('LicenseRef-Proprietary')).toBe(false);
  });
});

describe('License', () => {
  it('scores 10 for an approved license, with evidence and no findings', async () => {
    const r = await runCheckOnDir(check, tree({ LICENSE: MIT }));
    expect(r.score).toBe(10);
    expect(r.findings).toEqual([]);
    expect(r.evidence).toEqual([
      {
        kind: 'licenseFile',
        message: 'LICENSE: MIT (FSF/OSI)',
        location: { path: 'LICENSE' },
        values: { approved: true, spdxId: 'MIT', detectedBy: 'text' },
      },
    ]);
  });

  it('scores 9 for an unrecognised license, with one finding at the file', async () => {
    const r = await runCheckOnDir(check, tree({ 'LICENSE.md': 'You may look but not touch.\n' }));
    expect(r.score).toBe(9);
    expect(r.findings).toEqual([
      expect.objectContaining({ rule: 'licenseNotApproved', severity: 'low', location: { path: 'LICENSE.md' } }),
    ]);
  });

  it('a recognised license that is not FSF/OSI still scores 9, naming it', async () => {
    const r = await runCheckOnDir(check, tree({ LICENSE: 'Business Source License 1.1\n\nParameters\n' }));
    expect(r.score).toBe(9);
    expect(r.findings[0]).toMatchObject({ rule: 'licenseNotApproved', message: 'BUSL-1.1 is not an FSF-free or OSI-approved license' });
  });

  it('no license file: 0 with a single finding', async () => {
    const r = await runCheckOnDir(check, tree({ 'README.md': '# x\n', 'vendor/lib/LICENSE': MIT }));
    expect(r.score).toBe(0);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'noLicenseFile' })]);
  });

  it('a REUSE LICENSES/ directory counts, with the id from the file name', async () => {
    const r = await runCheckOnDir(check, tree({ 'LICENSES/Apache-2.0.txt': 'see the apache website\n' }, true));
    expect(r.score).toBe(10);
    expect(r.evidence[0]).toMatchObject({ values: { spdxId: 'Apache-2.0', detectedBy: 'filename' } });
  });

  it('any approved license among several files is enough', async () => {
    const r = await runCheckOnDir(check, tree({ COPYRIGHT: 'Copyright 2020 X\n', 'LICENSE-APACHE': APACHE, 'LICENSE-MIT': MIT }));
    expect(r.score).toBe(10);
    expect(r.evidence.map((e) => e.location?.path)).toEqual(['LICENSE-APACHE', 'LICENSE-MIT', 'COPYRIGHT']);
  });

  it('reads only the head of a 50 MB license file', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 'x\n');
    big.write(MIT);
    const dir = tree({ LICENSE: big });
    const started = performance.now();
    const r = await runCheckOnDir(check, dir);
    expect(r.score).toBe(10);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('a symlink named LICENSE counts by name but is never followed out of the tree', async () => {
    const outside = tree({ 'MIT.txt': MIT });
    const dir = tree({ 'README.md': 'x\n' });
    symlinkSync(join(outside, 'MIT.txt'), join(dir, 'LICENSE'));
    const r = await runCheckOnDir(check, dir);
    // The outside MIT text was not read, so the license is not recognised: 9, not 10.
    expect(r.score).toBe(9);
    expect(r.findings).toEqual([
      expect.objectContaining({ rule: 'licenseNotApproved', location: { path: 'LICENSE' } }),
      expect.objectContaining({
        rule: 'fileNotAnalyzed',
        severity: 'info',
        location: { path: 'LICENSE', line: 1, column: 1 },
        message: expect.stringContaining('symbolic link, not followed'),
      }),
    ]);
  });

  it('binary content where a license was expected is an issue, not a crash', async () => {
    const dir = tree({});
    writeFileSync(join(dir, 'LICENSE'), Buffer.from([0, 1, 2, 3, 0xff]));
    const r = await runCheckOnDir(check, dir);
    expect(r.score).toBe(9);
    expect(r.findings.map((f) => f.rule)).toEqual(['licenseNotApproved', 'fileNotAnalyzed']);
    expect(r.findings[1].message).toContain('binary content');
  });
});
