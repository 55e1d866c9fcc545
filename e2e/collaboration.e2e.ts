// Spec 1: Alice builds a desktop with a note; Bob opens the reference she saved and both type
// into the note at once, each in their own host process, and see the same text.
import { describe, expect, it } from 'vitest';
import {
  desktopWithNote,
  noteOnDesktop,
  openFile,
  saveReference,
  typeInNote,
  waitForNote,
} from './support/app';
import { useHarness } from './support/harness';

describe('two users share a desktop and a note', () => {
  const h = useHarness();

  it('opens a saved reference in another process and converges concurrent typing', async () => {
    const [alice, bob] = await h.usersNamed('Alice', 'Bob');

    const { window: desktopA, editor: editorA } = await desktopWithNote(alice.page);
    await typeInNote(editorA, 'Hello from Alice.');
    await waitForNote(editorA, 'Hello from Alice.');

    const file = await saveReference(desktopA, h.files);
    expect(file).toMatch(/\.liveobject$/);

    const editorB = noteOnDesktop(await openFile(bob.page, file, 'desktop'));
    await waitForNote(editorB, 'Hello from Alice.');

    // Alice types at the start, Bob at the end, at the same time: one deterministic result.
    await Promise.all([
      typeInNote(editorA, 'A1 A2 A3 ', 'start', 15),
      typeInNote(editorB, ' B1 B2 B3', 'end', 15),
    ]);
    const expected = 'A1 A2 A3 Hello from Alice. B1 B2 B3';
    await Promise.all([waitForNote(editorA, expected), waitForNote(editorB, expected)]);
  });
});
