// Library code only with consent, per host. Alice places a note whose channel comes from a code
// library on a desktop she shares with Bob: both hosts ask their user first (a dialog naming the
// URL and SHA-256); until then the item shows a placeholder and the library's server has seen no
// request. Alice allows: the code runs in a process of her host only (it cannot write the marker
// file it tries to write). Bob denies: his item says so and offers to ask again. A file: library
// is refused alike whether the file exists or not, and no digest is shown.
import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { libraryNoteXml, markerLibrary } from '../testing/library-note';
import { startLibraryServer } from '../testing/library-server';
import {
  createDesktop,
  desktopOf,
  dropFile,
  itemById,
  newItem,
  notifications,
  openFile,
  openFileExpectingNoWindow,
  saveReference,
  writeFile,
} from './support/app';
import { expect, test } from './support/harness';

test.describe('library consent', () => {
  test('a library on a shared desktop runs only where its user allowed it', async ({ app }) => {
    const server = await startLibraryServer();
    try {
      const marker = join(app.files, 'marker');
      const { url, sha256 } = server.add('/marker.js', markerLibrary(server.origin, marker));
      const [alice, bob] = await app.usersNamed('Alice', 'Bob');
      const windowA = await createDesktop(alice.page);
      const desktopA = desktopOf(windowA);
      const desktopB = desktopOf(
        await openFile(bob.page, await saveReference(windowA, app.files), 'desktop'),
      );

      const xml = libraryNoteXml(url, sha256, 'Library note');
      const itemA = await newItem(
        desktopA,
        () => dropFile(desktopA, { name: 'library-note.liveobject', content: xml }),
        'note',
      );
      const itemB = itemById(desktopB, (await itemA.getAttribute('data-item-id')) ?? '');

      // Both users are asked, each by their own host; nothing was fetched or run meanwhile.
      for (const [user, item] of [
        [alice, itemA],
        [bob, itemB],
      ] as const) {
        const dialog = user.page.getByTestId('library-consent');
        await expect(dialog).toBeVisible();
        await expect(dialog.getByTestId('library-consent-url')).toHaveText(url);
        await expect(dialog.getByTestId('library-consent-digest')).toHaveText(sha256);
        await expect(dialog).toContainText('Library note');
        await expect(item.getByTestId('library-placeholder')).toContainText(
          `Needs code from ${url} — waiting for your consent`,
        );
      }
      expect(server.requests).toEqual([]);
      expect(existsSync(marker)).toBe(false);

      // Bob denies: his item says so, and nothing is fetched for him.
      await bob.page.getByTestId('library-consent-deny').click();
      await expect(bob.page.getByTestId('library-consent')).toBeHidden();
      await expect(itemB.getByTestId('library-placeholder')).toContainText(
        `Blocked: you denied code from ${url}`,
      );
      expect(server.requests).toEqual([]);

      // Alice allows: the code runs in a child of her host (no file access there), and only there.
      await alice.page.getByTestId('library-consent-allow').click();
      await expect(alice.page.getByTestId('library-consent')).toBeHidden();
      await expect
        .poll(() => server.pings())
        .toEqual([`/ran?ppid=${alice.host.proc.pid}&write=ERR_ACCESS_DENIED`]);
      // A note cannot run on a library's channel (it needs membership views): the item says why.
      await expect(itemA.getByTestId('item-error')).toContainText('needs a channel with membership views');
      await expect(itemB.getByTestId('library-placeholder')).toContainText('Blocked');
      expect(server.requests.filter((r) => r === '/marker.js')).toHaveLength(1);
      expect(existsSync(marker)).toBe(false);

      // Bob changes his mind later: asked again, by the same dialog.
      await itemB.getByTestId('library-ask-again').click();
      await expect(bob.page.getByTestId('library-consent')).toBeVisible();
      await expect(bob.page.getByTestId('library-consent-digest')).toHaveText(sha256);
      expect(server.pings()).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test('a file: library is refused the same whether the file exists, without a digest', async ({ app }) => {
    const [carol] = await app.usersNamed('Carol');
    const realDigest = (await import('node:crypto'))
      .createHash('sha256')
      .update((await import('node:fs')).readFileSync('/etc/passwd'))
      .digest('hex');
    const texts: string[] = [];
    for (const [dir, url] of [
      ['exists', 'file:///etc/passwd'],
      ['missing', 'file:///etc/no-such-file-here'],
    ] as const) {
      mkdirSync(join(app.files, dir), { recursive: true });
      const path = writeFile(
        join(app.files, dir),
        'probe.liveobject',
        libraryNoteXml(url, realDigest, 'Probe'),
      );
      await openFileExpectingNoWindow(carol.page, path);
      const notice = notifications(carol.page).filter({ hasText: url });
      await expect(notice).toHaveCount(1);
      texts.push(((await notice.textContent()) ?? '').replace(url, 'URL'));
    }
    expect(texts[0]).toContain('refused: a library must be an https: URL');
    expect(texts[0]).toBe(texts[1]);
    expect(texts.join('\n')).not.toMatch(/[0-9a-f]{64}/);
    await expect(carol.page.getByTestId('library-consent')).toBeHidden();
  });
});
