// Spec 2: Carol starts her host after Alice and Bob have edited; she gets the whole state from
// a member's checkpoint (her home is empty), then live updates in both directions.
import { describe, it } from 'vitest';
import {
  desktopWithNote,
  noteOnDesktop,
  openFile,
  saveReference,
  typeInNote,
  waitForNote,
} from './support/app';
import { useHarness } from './support/harness';

describe('a late joiner', () => {
  const h = useHarness();

  it('gets the full state from a checkpoint, then live updates', async () => {
    const [alice, bob] = await h.usersNamed('Alice', 'Bob');
    const { window: desktopA, editor: editorA } = await desktopWithNote(alice.page);
    const file = await saveReference(desktopA, h.files);

    const editorB = noteOnDesktop(await openFile(bob.page, file, 'desktop'));
    await typeInNote(editorA, 'first line by Alice');
    await waitForNote(editorB, 'first line by Alice');
    await typeInNote(editorB, ', extended by Bob');
    const before = 'first line by Alice, extended by Bob';
    await Promise.all([waitForNote(editorA, before), waitForNote(editorB, before)]);

    // Carol's host starts only now, with an empty home: nothing of this is on her disk.
    const carol = await h.user('Carol');
    const editorC = noteOnDesktop(await openFile(carol.page, file, 'desktop'));
    await waitForNote(editorC, before);

    await typeInNote(editorA, ' +A');
    await waitForNote(editorC, `${before} +A`);
    await typeInNote(editorC, ' +C');
    const after = `${before} +A +C`;
    await Promise.all([editorA, editorB, editorC].map((e) => waitForNote(e, after)));
  });
});
