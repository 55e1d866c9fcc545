import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveObjectFiles, referenceFileName } from './open-files';

describe('electron shell: files from argv', () => {
  it('keeps existing .liveobject paths, resolved against the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-argv-'));
    writeFileSync(join(dir, 'a.liveobject'), '<x/>');
    writeFileSync(join(dir, 'B.LIVEOBJECT'), '<x/>');
    const argv = [
      '/usr/bin/electron',
      '.',
      '--no-sandbox',
      'a.liveobject',
      'missing.liveobject',
      'B.LIVEOBJECT',
      'x.txt',
    ];
    expect(liveObjectFiles(argv, dir)).toEqual([join(dir, 'a.liveobject'), join(dir, 'B.LIVEOBJECT')]);
  });

  it('makes safe file names from titles', () => {
    expect(referenceFileName('Team desktop')).toBe('Team desktop.liveobject');
    expect(referenceFileName('../../etc/passwd')).toBe('etc passwd.liveobject');
    expect(referenceFileName('a\u0000b:c*?')).toBe('a b c.liveobject');
    expect(referenceFileName('   ')).toBe('Live object.liveobject');
    expect(referenceFileName('x'.repeat(300))).toHaveLength(100 + '.liveobject'.length);
  });
});
