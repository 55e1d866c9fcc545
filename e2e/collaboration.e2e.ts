// Spec 1: Alice builds a desktop with a note; Bob opens the reference she saved and both type
// into the note at once, each in their own host process, and see the same text, and each
// other's caret with its user's name.
import type { Locator } from '@playwright/test';
import { expectNote, typeInNote } from './support/app';
import { expect, test } from './support/harness';
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

    // Alice moves her caret: Bob sees her name next to it (not only on hover), and it fades
    // a few seconds after she stops.
    await typeInNote(editorA, '!');
    const label = editorB.locator('.cm-ySelectionInfo', { hasText: 'Alice' });
    await expect(label).toHaveCount(1);
    await expect.poll(() => opacityOf(label), { message: "Alice's name label opacity" }).toBeGreaterThan(0.5);
    await expect.poll(() => opacityOf(label), { timeout: 15_000 }).toBe(0);
  });
});

function opacityOf(element: Locator): Promise<number> {
  return element.evaluate((el) => Number(getComputedStyle(el).opacity));
}
