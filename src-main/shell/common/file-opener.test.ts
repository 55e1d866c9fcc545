import { describe, expect, it } from 'vitest';
import { FileOpener } from './file-opener';

describe('FileOpener', () => {
  it('queues files until a renderer is ready, and again once none is', async () => {
    const opened: string[] = [];
    const failures: string[] = [];
    const opener = new FileOpener(
      async (path) => {
        if (path.includes('bad')) throw new Error('unreadable');
        opened.push(path);
      },
      (path, error) => failures.push(`${path}: ${(error as Error).message}`),
    );
    opener.request('a');
    opener.request('bad');
    expect(opened).toEqual([]);
    opener.markReady();
    opener.request('b');
    await Promise.resolve();
    expect(opened).toEqual(['a', 'b']);
    await new Promise((r) => setTimeout(r, 0));
    expect(failures).toEqual(['bad: unreadable']);
    opener.markIdle();
    opener.request('c');
    await Promise.resolve();
    expect(opened).toEqual(['a', 'b']);
    opener.markReady();
    await Promise.resolve();
    expect(opened).toEqual(['a', 'b', 'c']);
  });
});
