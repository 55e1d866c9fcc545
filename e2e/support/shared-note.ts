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
  const {
    file,
    windows: [windowA],
    editors: [editorA, editorB],
  } = await sharesANote(alice, [bob], app.files, text);
  return { alice, bob, file, windowA, editorA, editorB };
}

/** One locator per user: the owner's first, then one per other user. */
export type PerUser<O extends readonly User[]> = [Locator, ...{ [K in keyof O]: Locator }];

/** A desktop with a note that its owner made and others opened from her saved reference. */
export interface NoteSharedWith<O extends readonly User[]> {
  /** The reference the owner saved (into `dir`). */
  readonly file: string;
  /** The desktop's window on each page. */
  readonly windows: PerUser<O>;
  /** The note's editor on each page. */
  readonly editors: PerUser<O>;
}

/**
 * `owner` builds a desktop with a note (typing `text` into it, if given), saves its reference
 * into `dir`, and each of `others` opens that file; with `text`, every page is seen to show it.
 */
export async function sharesANote<const O extends readonly User[]>(
  owner: User,
  others: O,
  dir: string,
  text?: string,
): Promise<NoteSharedWith<O>> {
  const { window, editor } = await desktopWithNote(owner.page);
  if (text !== undefined) {
    await typeInNote(editor, text);
    await expectNote(editor, text);
  }
  const file = await saveReference(window, dir);
  expect(file).toMatch(/\.liveobject$/);
  const windows = [window];
  const editors = [editor];
  for (const other of others) {
    const opened = await openFile(other.page, file, 'desktop');
    windows.push(opened);
    editors.push(noteOnDesktop(opened));
  }
  if (text !== undefined) await Promise.all(editors.map((e) => expectNote(e, text)));
  return { file, windows: windows as PerUser<O>, editors: editors as PerUser<O> };
}
