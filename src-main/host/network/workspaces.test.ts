// Two workspaces on one LAN (loopback addresses, a private mDNS port): each keeps its own
// membership service; their hosts never meet in presence and never merge services. A host that
// joins the other workspace with an invitation (opened in the app) moves to it at restart.
import { describe, expect, it } from 'vitest';
import { delay, waitFor } from '../../../testing/wait';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { invitationTo, Recorder, tempHome, TEST_WORKSPACE } from '../test-helpers';
import { newWorkspace, readWorkspace } from '../workspace';
import { INVITATION_NOT_PLACED } from '../drops';
import { shareNote, lanNetwork, status, useLan } from './testing/lan';

const lan = useLan();

describe('two workspaces on one LAN', () => {
  it('keep two services and never meet; a host that joins the other one by invitation moves at restart', async () => {
    const net = await lan();
    const design = newWorkspace('Design');
    const sales = newWorkspace('Sales');
    const alice = await net.start(0, 'alice', undefined, tempHome({ workspace: design }));
    const bobHome = tempHome({ workspace: sales });
    let bob = await net.start(1, 'bob', undefined, bobHome);
    // Each found no service of its own workspace and serves one.
    expect(status(alice)).toMatchObject({ address: `${net.addresses[0]}:7070`, foundBy: 'serving' });
    expect(status(bob)).toMatchObject({ address: `${net.addresses[1]}:7070`, foundBy: 'serving' });
    // Several DNS-SD rounds (requeryMs 1 s): still two services, nobody merged or moved.
    await delay(3500);
    for (const [h, i] of [
      [alice, 0],
      [bob, 1],
    ] as const) {
      expect(status(h)).toEqual({
        address: `${net.addresses[i]}:7070`,
        foundBy: 'serving',
        servedHere: true,
        state: 'connected',
      });
      expect(lanNetwork(h).hosts()).toEqual([h.nodeId]);
    }
    const rb = new Recorder(bob.openSession('web'));
    expect((await rb.session.call('network', {})).workspace).toEqual({ id: sales.id, name: 'Sales' });

    // Bob opens an invitation to Design in the app and agrees: in effect at restart.
    const joined = await rb.session.call('join', { xml: invitationTo(design), source: 'design.liveobject' });
    expect(joined).toMatchObject({
      workspace: { id: design.id, name: 'Design' },
      replaced: { id: sales.id, name: 'Sales' },
      restartNeeded: true,
    });
    expect(joined.message).toContain('Restart the app');
    await waitFor('the status to say so', async () => {
      const ws = (await rb.session.call('network', {})).workspace;
      return ws?.name === 'Sales' && ws.joined?.name === 'Design';
    });
    await net.close(bob);
    bob = await net.start(1, 'bob', undefined, bobHome);
    expect(status(bob)).toMatchObject({ address: `${net.addresses[0]}:7070`, foundBy: 'dns-sd' });
    await waitFor('one hosts view', () => [alice, bob].every((h) => lanNetwork(h).hosts().length === 2));
    await shareNote('one workspace', alice, bob);
  }, 60_000);

  it('an invitation the shell opens is offered to every window, not shown; a malformed one is refused', async () => {
    const net = await lan();
    const team = newWorkspace('Team');
    const host = await net.start(0, 'alice');
    const recorder = new Recorder(host.openSession('web'));
    const dir = tempHome({ workspace: null });
    const file = join(dir, 'team.liveobject');
    writeFileSync(file, invitationTo(team));
    await host.openFile(file);
    expect(recorder.events.filter((e) => e.event === 'opened')).toEqual([]);
    expect(recorder.events.find((e) => e.event === 'invitation')?.data).toEqual({
      xml: invitationTo(team),
      source: file,
      workspace: { id: team.id, name: 'Team' },
      current: { id: TEST_WORKSPACE.id, name: TEST_WORKSPACE.name },
    });
    // Nothing is joined until the user agrees (the `join` command).
    expect(readWorkspace(host.home)).toEqual(TEST_WORKSPACE);
    // Neither shown as an object nor placed on one: its key would reach everyone who sees it.
    await expect(recorder.session.call('open', { xml: invitationTo(team) })).rejects.toThrow(
      'is an invitation to a workspace, not an object to show',
    );
    const desktop = await recorder.session.call('create', { template: 'desktop' });
    expect(
      await recorder.session.call('checkDrop', { handle: desktop.handle, xml: invitationTo(team) }),
    ).toEqual({
      ok: false,
      reason: INVITATION_NOT_PLACED,
    });
    const broken = join(dir, 'broken.liveobject');
    writeFileSync(broken, invitationTo(team).replace(/(<value type="bytes">)[^<]*/, '$1AAAA'));
    await expect(host.openFile(broken)).rejects.toThrow(`${broken} is not a valid invitation`);
  }, 30_000);

  it('a host without the key, given the service with --gms, is refused and told to ask for an invitation', async () => {
    const net = await lan();
    const alice = await net.start(0, 'alice', undefined, tempHome({ workspace: newWorkspace('Design') }));
    const gms = { host: net.addresses[0]!, port: 7070 };
    await waitFor('Alice to see herself in presence', () => lanNetwork(alice).hosts().length === 1);
    await expect(
      net.start(1, 'mallory', gms, tempHome({ workspace: newWorkspace('Elsewhere') })),
    ).rejects.toThrow(
      `This machine is not a member of the workspace served at ${gms.host}:7070: ask a member for an invitation`,
    );
    expect(lanNetwork(alice).hosts()).toEqual([alice.nodeId]);
  }, 30_000);
});
