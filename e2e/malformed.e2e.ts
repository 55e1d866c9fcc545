// Spec 5: opening a malformed .liveobject file gives one clear error notification and leaves
// everything else alone: the note already open stays live between the two processes.
import { describe, expect, it } from 'vitest';
import {
  newWindow,
  noteEditor,
  notifications,
  openFile,
  openFileExpectingNoWindow,
  saveReference,
  typeInNote,
  waitForNote,
  writeFile,
} from './support/app';
import { useHarness } from './support/harness';
import { waitFor } from './support/wait';

// The closing tag of <meta> is misspelt on line 3.
const MALFORMED = `<?xml version="1.0" encoding="utf-8"?>
<liveobject xmlns="urn:liveobjects:1" version="1">
  <meta><title>Broken</title></mta>
  <primitive id="liveobjects.note"/>
</liveobject>
`;

describe('a malformed .liveobject file', () => {
  const h = useHarness();

  it('is reported clearly and disturbs nothing', async () => {
    const [alice, bob] = await h.usersNamed('Alice', 'Bob');
    const noteA = await newWindow(alice.page, () => alice.page.getByTestId('new-note').click(), 'note');
    await typeInNote(noteEditor(noteA), 'before');
    const noteB = await openFile(bob.page, await saveReference(noteA, h.files), 'note');
    await waitForNote(noteEditor(noteB), 'before');

    const windows = await alice.page.getByTestId('object-window').count();
    await openFileExpectingNoWindow(alice.page, writeFile(h.files, 'broken.liveobject', MALFORMED));
    const [message] = await waitFor('an error notification', async () => {
      const shown = await notifications(alice.page);
      return shown.length > 0 && shown;
    });
    console.log(`e2e: malformed file reported as: ${message}`);
    expect(message).toContain('broken.liveobject');
    expect(message).toMatch(/\b3:\d+\b|line 3/);
    expect(await notifications(alice.page)).toHaveLength(1);
    expect(await alice.page.getByTestId('object-window').count()).toBe(windows);
    expect(await notifications(bob.page)).toEqual([]);

    // The open note still works both ways.
    await typeInNote(noteEditor(noteA), ' and after');
    await waitForNote(noteEditor(noteB), 'before and after');
    await typeInNote(noteEditor(noteB), '!');
    await waitForNote(noteEditor(noteA), 'before and after!');

    await alice.page.getByTestId('notification-dismiss').click();
    await waitFor('the notification to go', async () => (await notifications(alice.page)).length === 0);
  });
});
