// Spec 4: Bob's host is killed (SIGKILL) while he types; Alice carries on undisturbed. Then
// Alice's host is stopped and restarted on the same home and finds the note on its disk.
import {
  expectNote,
  noteOnDesktop,
  notifications,
  noteText,
  openFile,
  presenceNames,
  typeInNote,
} from './support/app';
import { expect, test } from './support/harness';
import { aliceSharesANote } from './support/shared-note';

test.describe('a crash and a restart', () => {
  test('survives a killed member and restores state from disk after a restart', async ({ app }) => {
    const { alice, bob, file, windowA, editorA, editorB } = await aliceSharesANote(app, 'Agenda:');
    await expect
      .poll(() => presenceNames(windowA), { message: 'Alice to see Bob on the desktop' })
      .toContain('Bob');

    // Bob types; his host dies mid-sentence.
    const typing = typeInNote(editorB, ' Bob was typing this when', 'end', 40).catch(() => undefined);
    await expect.poll(() => noteText(editorA)).toContain(' Bob');
    await bob.host.kill();
    await typing;

    // Alice keeps editing as if nothing happened. (Bob's last keystrokes may still trickle in,
    // so the text is read once his departure has been noticed.)
    await typeInNote(editorA, ' Alice goes on.');
    await expect.poll(() => noteText(editorA)).toMatch(/^Agenda: Bob[\s\S]* Alice goes on\./);
    await expect
      .poll(() => presenceNames(windowA), { message: "Bob to leave the desktop's presence" })
      .toEqual(['Alice']);
    const text = await noteText(editorA);
    expect(text).toContain(' Alice goes on.');
    await expect(notifications(alice.page)).toHaveCount(0);
    // At this moment, not eventually: a reconnect that went away again would be a disturbance too.
    expect(await alice.page.getByTestId('connection-banner').count()).toBe(0);

    // Alice's host stops cleanly and starts again on the same home: the note is on her disk
    // (Bob is gone, so no other member could hand it over).
    await app.close(alice);
    await alice.host.stop();
    const again = await app.user('Alice', { home: alice.host.home });
    const reopened = noteOnDesktop(await openFile(again.page, file, 'desktop'));
    await expectNote(reopened, text);
    await typeInNote(reopened, ' Back.');
    await expectNote(reopened, `${text} Back.`);
  });
});
