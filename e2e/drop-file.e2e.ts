// Spec 3: a .liveobject file dropped onto a shared desktop appears on every member's desktop;
// a file the desktop cannot hold (an airplane needs a 3D space) is refused in plain words, the
// type explanation one click away, and a refused new object leaves nothing in the home.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createDesktop,
  desktopOf,
  dropFile,
  expectNote,
  itemById,
  newItem,
  noteEditor,
  openFile,
  saveReference,
  typeInNote,
} from './support/app';
import { expect, test } from './support/harness';
import { ASSETS } from './support/paths';

test.describe('dropping .liveobject files on a desktop', () => {
  test('places a dropped note for every member and explains a refused drop', async ({ app }) => {
    const [alice, bob] = await app.usersNamed('Alice', 'Bob');
    const windowA = await createDesktop(alice.page);
    const desktopA = desktopOf(windowA);
    const file = await saveReference(windowA, app.files);
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
    await expect(itemB.getByTestId('item-titlebar')).toContainText('Release checklist');

    // The placed note is live for both.
    await typeInNote(noteEditor(itemA), 'dropped and shared');
    await expectNote(noteEditor(itemB), 'dropped and shared');

    // The airplane has only a 3D user interface: Bob's drop is refused in plain words; the
    // type explanation shows after "Why?".
    const airplane = readFileSync(join(ASSETS, 'airplane.liveobject'), 'utf8');
    await dropFile(desktopB, { name: 'airplane.liveobject', content: airplane }, { x: 500, y: 300 });
    const refusal = desktopB.getByTestId('drop-refusal');
    await expect(refusal.getByTestId('drop-refusal-reason')).toHaveText(
      'Airplanes fly in 3D spaces — drop it into one',
    );
    const why = refusal.getByTestId('drop-refusal-why');
    await expect(why).toBeHidden();
    await refusal.getByText('Why?').click();
    await expect(why).toBeVisible();
    await expect(why).toHaveText(/has only a 3D user interface \(UI3D\)/);
    console.log(`e2e: refusal shown: ${await refusal.textContent()}`);
    // A refusal comes instead of placing: both desktops still hold just the note.
    await expect(desktopB.getByTestId('desktop-item')).toHaveCount(1);
    await expect(desktopA.getByTestId('desktop-item')).toHaveCount(1);

    // A new airplane dragged from the toolbox is refused before it is created: nothing new
    // in Bob's home, in memory or on disk.
    const stateDir = join(bob.host.home, 'state');
    const stored = (): string[] => (existsSync(stateDir) ? readdirSync(stateDir).sort() : []);
    const before = stored();
    await refusal.getByRole('button', { name: 'Dismiss' }).click();
    await bob.page
      .getByTestId('toolbox-item-airplane')
      .dragTo(desktopB, { targetPosition: { x: 300, y: 200 } });
    await expect(refusal.getByTestId('drop-refusal-reason')).toHaveText(
      'Airplanes fly in 3D spaces — drop it into one',
    );
    // Long enough for a created object's first save to have reached the disk.
    await bob.page.waitForTimeout(1_500);
    expect(stored()).toEqual(before);
    expect(stored().filter((name) => name.startsWith('airplane-'))).toEqual([]);
    await expect(desktopB.getByTestId('desktop-item')).toHaveCount(1);
  });
});
