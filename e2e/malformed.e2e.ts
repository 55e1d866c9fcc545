// Spec 5: opening a malformed .liveobject file gives one clear error notification and leaves
// everything else alone: the note already open stays live between the two processes. An old
// key-less file is not malformed: it opens, marked "Not private".
import {
  expectNote,
  newWindow,
  noteEditor,
  notifications,
  openFile,
  openFileExpectingNoWindow,
  saveReference,
  typeInNote,
  writeFile,
} from './support/app';
import { expect, test } from './support/harness';
import { writeLiveObject } from '../src-shared/format';
import { portableReference } from '../src-main/host/mint';

/** A note reference as older versions minted it: no liveobjects.sealed, no key. */
const keylessNote = (group: string): string =>
  writeLiveObject({
    meta: { title: 'Old note' },
    types: [],
    reference: portableReference('liveobjects.note', group),
  });

// The closing tag of <meta> is misspelt on line 3.
const MALFORMED = `<?xml version="1.0" encoding="utf-8"?>
<liveobject xmlns="urn:liveobjects:1" version="1">
  <meta><title>Broken</title></mta>
  <primitive id="liveobjects.note"/>
</liveobject>
`;

test.describe('a malformed .liveobject file', () => {
  test('is reported clearly and disturbs nothing', async ({ app }) => {
    const [alice, bob] = await app.usersNamed('Alice', 'Bob');
    const noteA = await newWindow(alice.page, () => alice.page.getByTestId('new-note').click(), 'note');
    await typeInNote(noteEditor(noteA), 'before');
    const noteB = await openFile(bob.page, await saveReference(noteA, app.files), 'note');
    await expectNote(noteEditor(noteB), 'before');
    // A new note is private: no marker.
    await expect(noteA.getByTestId('not-private')).toHaveCount(0);
    await expect(noteB.getByTestId('not-private')).toHaveCount(0);

    const windows = await alice.page.getByTestId('object-window').count();
    await openFileExpectingNoWindow(alice.page, writeFile(app.files, 'broken.liveobject', MALFORMED));
    const shown = notifications(alice.page);
    await expect(shown.first()).toBeVisible();
    const message = (await shown.first().textContent()) ?? '';
    console.log(`e2e: malformed file reported as: ${message}`);
    expect(message).toContain('broken.liveobject');
    expect(message).toMatch(/\b3:\d+\b|line 3/);
    await expect(shown).toHaveCount(1);
    await expect(alice.page.getByTestId('object-window')).toHaveCount(windows);
    await expect(notifications(bob.page)).toHaveCount(0);

    // The open note still works both ways.
    await typeInNote(noteEditor(noteA), ' and after');
    await expectNote(noteEditor(noteB), 'before and after');
    await typeInNote(noteEditor(noteB), '!');
    await expectNote(noteEditor(noteA), 'before and after!');

    await alice.page.getByTestId('notification-dismiss').click();
    await expect(shown).toHaveCount(0);
  });

  test('an old key-less file opens, marked not private', async ({ app }) => {
    const [alice] = await app.usersNamed('Alice');
    const group = `note-keyless-${Date.now().toString(16)}`;
    const old = await openFile(
      alice.page,
      writeFile(app.files, 'old.liveobject', keylessNote(group)),
      'note',
    );
    const marker = old.getByTestId('not-private');
    await expect(marker).toHaveText('Not private');
    await expect(marker).toHaveAttribute(
      'title',
      /anyone on the workspace network who learns this object’s name can read and change it/,
    );
    await typeInNote(noteEditor(old), 'still works');
    await expectNote(noteEditor(old), 'still works');
  });
});
