// Spec 1: Alice builds a desktop with a note; Bob opens the reference she saved and both type
// into the note at once, each in their own host process, and see the same text.
import { expectNote, typeInNote } from './support/app';
import { test } from './support/harness';
import { aliceSharesANote } from './support/shared-note';

test.describe('two users share a desktop and a note', () => {
  test('opens a saved reference in another process and converges concurrent typing', async ({ app }) => {
    const { editorA, editorB } = await aliceSharesANote(app, 'Hello from Alice.');

    // Alice types at the start, Bob at the end, at the same time: one deterministic result.
    await Promise.all([
      typeInNote(editorA, 'A1 A2 A3 ', 'start', 15),
      typeInNote(editorB, ' B1 B2 B3', 'end', 15),
    ]);
    const expected = 'A1 A2 A3 Hello from Alice. B1 B2 B3';
    await Promise.all([expectNote(editorA, expected), expectNote(editorB, expected)]);
  });
});
