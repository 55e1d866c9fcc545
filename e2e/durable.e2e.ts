// Nothing acknowledged is lost: a host whose home is on a full disk shows a lasting banner while
// it cannot save, keeps what was typed, and writes it once space returns; a second
// `liveobjects serve` on the same home refuses to start and names the first.
import { join } from 'node:path';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { spawnCli } from '../testing/liveobjects';
import { mountSmallDisk, whyNoSmallDisk } from '../testing/small-disk';
import { expectNote, newWindow, noteEditor, typeInNote } from './support/app';
import { expect, test } from './support/harness';

test.describe('a home on a full disk', () => {
  test('shows a banner until space returns, loses nothing, and a second host on the home is refused', async ({
    app,
  }) => {
    const why = whyNoSmallDisk();
    // Covered without a real small disk by src-main/host/persistence.test.ts (a fault-injected
    // full disk) and src-main/host/home-lock.test.ts (a second host on one home).
    if (why !== undefined)
      console.log(`e2e: skipping the full-disk spec: ${why}; persistence and home-lock unit tests cover it`);
    test.skip(why !== undefined, why);
    const disk = mountSmallDisk(1024);
    try {
      const home = join(disk.dir, 'home');
      mkdirSync(home);
      const alice = await app.user('Alice', { home });

      // A second host on the same home: refused, naming the first.
      const second = spawnCli('second host', [
        'serve',
        '--port',
        '0',
        '--gms',
        app.cluster.gms.address,
        '--home',
        home,
      ]);
      expect((await second.exited).code).toBe(1);
      expect(second.stderr.join('\n')).toContain(
        `another Live Objects host is using the home ${home}: process ${alice.host.proc.pid}`,
      );

      const note = await newWindow(alice.page, () => alice.page.getByTestId('new-note').click(), 'note');
      const editor = noteEditor(note);
      await typeInNote(editor, 'saved');
      const banner = alice.page.getByTestId('storage-banner');
      const free = disk.fill();
      await typeInNote(editor, ' typed while the disk is full');
      await expect(banner).toBeVisible();
      await expect(banner).toContainText('Changes cannot be saved to disk: the disk is full');
      await expect
        .poll(() => alice.host.proc.stderr.join('\n'))
        .toContain('host: WARNING: Changes cannot be saved to disk: the disk is full');
      // Lasting: still there a while later, with the note still editable.
      await typeInNote(editor, '.');
      await alice.page.waitForTimeout(1500);
      await expect(banner).toBeVisible();

      free();
      await expect(banner).toHaveCount(0);
      await expectNote(editor, 'saved typed while the disk is full.');
      const [key] = readdirSync(join(home, 'state')).filter((k) => k.startsWith('note-'));
      expect(readFileSync(join(home, 'state', key!, 'state.bin')).toString('latin1')).toContain(
        'typed while the disk is full.',
      );
    } finally {
      await app.dispose();
      disk.unmount();
    }
  });
});
