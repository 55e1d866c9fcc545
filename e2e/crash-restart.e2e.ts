// Spec 4: Bob's host is killed (SIGKILL) while he types; Alice carries on undisturbed. Then
// Alice's host is stopped and restarted on the same home and finds the note on its disk.
import { describe, expect, it } from 'vitest';
import {
  desktopWithNote,
  noteOnDesktop,
  notifications,
  noteText,
  openFile,
  presenceNames,
  saveReference,
  typeInNote,
  waitForNote,
} from './support/app';
import { useHarness } from './support/harness';
import { waitFor } from './support/wait';

describe('a crash and a restart', () => {
  const h = useHarness();

  it('survives a killed member and restores state from disk after a restart', async () => {
    const [alice, bob] = await h.usersNamed('Alice', 'Bob');
    const { window: windowA, editor: editorA } = await desktopWithNote(alice.page);
    await typeInNote(editorA, 'Agenda:');
    const file = await saveReference(windowA, h.files);

    const editorB = noteOnDesktop(await openFile(bob.page, file, 'desktop'));
    await waitForNote(editorB, 'Agenda:');
    await waitFor('Alice to see Bob on the desktop', async () =>
      (await presenceNames(windowA)).includes('Bob'),
    );

    // Bob types; his host dies mid-sentence.
    const typing = typeInNote(editorB, ' Bob was typing this when', 'end', 40).catch(() => undefined);
    await waitForNote(editorA, (t) => t.includes(' Bob'));
    await bob.host.kill();
    await typing;

    // Alice keeps editing as if nothing happened. (Bob's last keystrokes may still trickle in,
    // so the text is read once his departure has been noticed.)
    await typeInNote(editorA, ' Alice goes on.');
    await waitForNote(editorA, (t) => t.startsWith('Agenda: Bob') && t.includes(' Alice goes on.'));
    await waitFor("Bob to leave the desktop's presence", async () => {
      const names = await presenceNames(windowA);
      return names.length === 1 && names[0] === 'Alice';
    });
    const text = await noteText(editorA);
    expect(text).toContain(' Alice goes on.');
    expect(await notifications(alice.page)).toEqual([]);
    expect(await alice.page.getByTestId('connection-banner').count()).toBe(0);

    // Alice's host stops cleanly and starts again on the same home: the note is on her disk
    // (Bob is gone, so no other member could hand it over).
    await h.close(alice);
    await alice.host.stop();
    const again = await h.user('Alice', { home: alice.host.home });
    const reopened = noteOnDesktop(await openFile(again.page, file, 'desktop'));
    await waitForNote(reopened, text);
    await typeInNote(reopened, ' Back.');
    await waitForNote(reopened, `${text} Back.`);
  });
});
