// Spec 2: Carol starts her host after Alice and Bob have edited; she gets the whole state from
// a member's checkpoint (her home is empty), then live updates in both directions.
import { expectNote, noteOnDesktop, openFile, typeInNote } from './support/app';
import { test } from './support/harness';
import { aliceSharesANote } from './support/shared-note';

test.describe('a late joiner', () => {
  test('gets the full state from a checkpoint, then live updates', async ({ app }) => {
    const { file, editorA, editorB } = await aliceSharesANote(app);
    await typeInNote(editorA, 'first line by Alice');
    await expectNote(editorB, 'first line by Alice');
    await typeInNote(editorB, ', extended by Bob');
    const before = 'first line by Alice, extended by Bob';
    await Promise.all([expectNote(editorA, before), expectNote(editorB, before)]);

    // Carol's host starts only now, with an empty home: nothing of this is on her disk.
    const carol = await app.user('Carol');
    const editorC = noteOnDesktop(await openFile(carol.page, file, 'desktop'));
    await expectNote(editorC, before);

    await typeInNote(editorA, ' +A');
    await expectNote(editorC, `${before} +A`);
    await typeInNote(editorC, ' +C');
    const after = `${before} +A +C`;
    await Promise.all([editorA, editorB, editorC].map((e) => expectNote(e, after)));
  });
});
