// The opening most specs share: Alice and Bob start, Alice builds a desktop with a note (and
// types into it), saves the desktop's reference, and Bob opens the file she saved.
import type { Locator } from '@playwright/test';
import { desktopWithNote, expectNote, noteOnDesktop, openFile, saveReference, typeInNote } from './app';
import { expect } from './harness';
import type { App, User } from './harness';

export interface SharedNote {
  readonly alice: User;
  readonly bob: User;
  /** The reference Alice saved. */
  readonly file: string;
  readonly windowA: Locator;
  readonly editorA: Locator;
  readonly editorB: Locator;
}

/** With `text`, Alice types it first and both are seen to show it. */
export async function aliceSharesANote(app: App, text?: string): Promise<SharedNote> {
  const [alice, bob] = await app.usersNamed('Alice', 'Bob');
  const { window: windowA, editor: editorA } = await desktopWithNote(alice.page);
  if (text !== undefined) {
    await typeInNote(editorA, text);
    await expectNote(editorA, text);
  }
  const file = await saveReference(windowA, app.files);
  expect(file).toMatch(/\.liveobject$/);
  const editorB = noteOnDesktop(await openFile(bob.page, file, 'desktop'));
  if (text !== undefined) await expectNote(editorB, text);
  return { alice, bob, file, windowA, editorA, editorB };
}
