// Page helpers over the renderer's documented test ids (docs/renderer.md), waiting the way
// Playwright's locators and `expect` do.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

/** Waits until the app is connected and shows `userName` in the top bar. */
export async function waitForApp(page: Page, userName: string): Promise<void> {
  await expect(page.getByTestId('user-name')).toHaveText(userName);
  await expect(page.getByTestId('toolbox-item-note')).toBeVisible();
}

/** The `testId` element in `scope` whose `attribute` is `value`. */
function byAttribute(scope: Page | Locator, testId: string, attribute: string, value: string): Locator {
  return scope.locator(`[data-testid="${testId}"][${attribute}=${JSON.stringify(value)}]`);
}

/**
 * Runs `action` and returns the `testId` element (of `kind`, if given) it added to `scope`: one
 * whose `idAttribute` none of the elements before had.
 */
async function added(
  scope: Page | Locator,
  testId: string,
  idAttribute: string,
  action: () => Promise<void>,
  kind?: string,
): Promise<Locator> {
  const before = await scope
    .getByTestId(testId)
    .evaluateAll((els, name) => els.map((el) => el.getAttribute(name) ?? ''), idAttribute);
  await action();
  const ofKind = kind === undefined ? '' : `[data-kind="${kind}"]`;
  const notBefore = before.map((id) => `:not([${idAttribute}=${JSON.stringify(id)}])`).join('');
  const fresh = scope.locator(`[data-testid="${testId}"]${ofKind}${notBefore}`).first();
  await fresh.waitFor({ state: 'attached' });
  return byAttribute(scope, testId, idAttribute, (await fresh.getAttribute(idAttribute)) ?? '');
}

/** Runs `action` and returns the top-level window it opened. */
export function newWindow(page: Page, action: () => Promise<void>, kind?: string): Promise<Locator> {
  return added(page, 'object-window', 'data-handle', action, kind);
}

export function createDesktop(page: Page): Promise<Locator> {
  return newWindow(page, () => page.getByTestId('new-desktop').click(), 'desktop');
}

/** The outermost desktop view inside a window (nested desktops come later in document order). */
export function desktopOf(window: Locator): Locator {
  return window.getByTestId('desktop').first();
}

export function itemById(desktop: Locator, id: string): Locator {
  return byAttribute(desktop, 'desktop-item', 'data-item-id', id);
}

/** Runs `action` and returns the item it placed on `desktop`. */
export function newItem(desktop: Locator, action: () => Promise<void>, kind?: string): Promise<Locator> {
  return added(desktop, 'desktop-item', 'data-item-id', action, kind);
}

/** Drags the toolbox's note template onto `desktop` at (x, y) inside it, like a user. */
export function dragNoteOnto(page: Page, desktop: Locator, at = { x: 60, y: 90 }): Promise<Locator> {
  return newItem(
    desktop,
    () => page.getByTestId('toolbox-item-note').dragTo(desktop, { targetPosition: at }),
    'note',
  );
}

export function noteEditor(scope: Locator): Locator {
  return scope.getByTestId('note-editor');
}

/** The editor of the note placed on a window's desktop. */
export function noteOnDesktop(window: Locator): Locator {
  return noteEditor(desktopOf(window).locator('[data-testid="desktop-item"][data-kind="note"]'));
}

/** A new desktop with the toolbox's note dragged onto it: its window and the note's editor. */
export async function desktopWithNote(page: Page): Promise<{ window: Locator; editor: Locator }> {
  const window = await createDesktop(page);
  const editor = noteEditor(await dragNoteOnto(page, desktopOf(window)));
  return { window, editor };
}

/** The note's text: CodeMirror lines without the remote cursors' carets and name labels. */
export function noteText(editor: Locator): Promise<string> {
  return editor.evaluate((el) => {
    const lines = [...el.querySelectorAll('.cm-line')].map((line) => {
      const copy = line.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.cm-ySelectionInfo, .cm-ySelectionCaret').forEach((n) => n.remove());
      return copy.textContent ?? '';
    });
    return lines.join('\n');
  });
}

/** Waits until the note shows exactly `text` (retrying; a failure shows the last text seen). */
export async function expectNote(editor: Locator, text: string): Promise<void> {
  await expect.poll(() => noteText(editor), { message: 'the note text' }).toBe(text);
}

/** Types at the start or end of the note, like a user who clicked into it. */
export async function typeInNote(
  editor: Locator,
  text: string,
  where: 'start' | 'end' = 'end',
  delay = 0,
): Promise<void> {
  const page = editor.page();
  await editor.click();
  await page.keyboard.press(where === 'start' ? 'Control+Home' : 'Control+End');
  await page.keyboard.type(text, { delay });
}

/** "Save reference…" in a window's title bar: the browser download, saved into `dir`. */
export async function saveReference(window: Locator, dir: string): Promise<string> {
  const page = window.page();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    window.getByTestId('save-reference').click(),
  ]);
  const path = join(dir, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return path;
}

/** "Open…" with a real file on disk; returns the window it opened. */
export function openFile(page: Page, path: string, kind?: string): Promise<Locator> {
  return newWindow(page, () => page.getByTestId('open-file-input').setInputFiles(path), kind);
}

/** Opens a file that is expected to fail (no window appears). */
export async function openFileExpectingNoWindow(page: Page, path: string): Promise<void> {
  await page.getByTestId('open-file-input').setInputFiles(path);
}

/** What a synthetic drop carries: strings by MIME type, and files. */
export interface DropContent {
  readonly data?: Readonly<Record<string, string>>;
  readonly files?: readonly { name: string; content: string; type: string }[];
}

/** Dispatches dragenter, dragover and drop carrying `content` at client point `at` on `target`. */
export async function dropOn(
  target: Locator,
  content: DropContent,
  at: { x: number; y: number },
): Promise<void> {
  await target.evaluate(
    (el, { content, at }) => {
      const transfer = new DataTransfer();
      for (const [type, value] of Object.entries(content.data ?? {})) transfer.setData(type, value);
      for (const f of content.files ?? [])
        transfer.items.add(new File([f.content], f.name, { type: f.type }));
      const init = { dataTransfer: transfer, clientX: at.x, clientY: at.y, bubbles: true, cancelable: true };
      for (const type of ['dragenter', 'dragover', 'drop']) el.dispatchEvent(new DragEvent(type, init));
    },
    { content, at },
  );
}

/** Drops a file from "the OS" onto a desktop at (x, y) relative to its top-left corner. */
export async function dropFile(
  desktop: Locator,
  file: { name: string; content: string; type?: string },
  at = { x: 420, y: 120 },
): Promise<void> {
  const box = await desktop.boundingBox();
  if (!box) throw new Error('the desktop has no box');
  const files = [{ ...file, type: file.type ?? 'application/xml' }];
  await dropOn(desktop, { files }, { x: box.x + at.x, y: box.y + at.y });
}

/** The notifications shown. */
export function notifications(page: Page): Locator {
  return page.getByTestId('notification');
}

/** The names in a presence list (`presence` inside `scope`). */
export async function presenceNames(scope: Locator): Promise<string[]> {
  return scope
    .getByTestId('presence')
    .first()
    .getByTestId('presence-member')
    .evaluateAll((els) => els.map((el) => el.getAttribute('title') ?? ''));
}

/** Writes `content` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
