// Spec 3: a .liveobject file dropped onto a shared desktop appears on every member's desktop;
// a file the desktop cannot hold (an airplane needs a 3D space) is refused with the reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createDesktop,
  desktopOf,
  dropFile,
  itemById,
  newItem,
  noteEditor,
  openFile,
  saveReference,
  typeInNote,
  waitForNote,
} from './support/app';
import { useHarness } from './support/harness';
import { ASSETS } from './support/paths';

describe('dropping .liveobject files on a desktop', () => {
  const h = useHarness();

  it('places a dropped note for every member and explains a refused drop', async () => {
    const [alice, bob] = await h.usersNamed('Alice', 'Bob');
    const windowA = await createDesktop(alice.page);
    const desktopA = desktopOf(windowA);
    const file = await saveReference(windowA, h.files);
    const desktopB = desktopOf(await openFile(bob.page, file, 'desktop'));

    // The note of the examples, as a file from the OS dropped onto Alice's desktop.
    const noteXml = readFileSync(join(ASSETS, 'note-via-registry.liveobject'), 'utf8');
    const itemA = await newItem(
      desktopA,
      () => dropFile(desktopA, { name: 'note-via-registry.liveobject', content: noteXml }),
      'note',
    );
    const id = await itemA.getAttribute('data-item-id');
    expect(id).toBeTruthy();
    const itemB = itemById(desktopB, id ?? '');
    await itemB.waitFor();
    expect(await itemB.getByTestId('item-titlebar').textContent()).toContain('Release checklist');

    // The placed note is live for both.
    await typeInNote(noteEditor(itemA), 'dropped and shared');
    await waitForNote(noteEditor(itemB), 'dropped and shared');

    // The airplane has only a 3D user interface: Bob's drop is refused, with the reason.
    const airplane = readFileSync(join(ASSETS, 'airplane.liveobject'), 'utf8');
    await dropFile(desktopB, { name: 'airplane.liveobject', content: airplane }, { x: 500, y: 300 });
    const refusal = desktopB.getByTestId('drop-refusal');
    await refusal.waitFor();
    const reason = await refusal.textContent();
    console.log(`e2e: refusal shown: ${reason}`);
    expect(reason).toMatch(/airplane.*3D/);
    // A refusal comes instead of placing: both desktops still hold just the note.
    expect(await desktopB.getByTestId('desktop-item').count()).toBe(1);
    expect(await desktopA.getByTestId('desktop-item').count()).toBe(1);
  });
});
