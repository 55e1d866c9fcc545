import { afterEach, describe, expect, it } from 'vitest';
import { writeInvitation } from '../../src-shared/workspace/invitation';
import { FakeBridge } from '../testing/fake-bridge';
import { joinQuestion, offerInvitation } from './invitation';
import { network } from './stores/network';
import { notifications } from './stores/notifications';

const team = { id: 'ab'.repeat(16), name: 'Design', key: new Uint8Array(32).fill(3) };
const current = { id: 'cd'.repeat(16), name: "Bob's workspace" };

afterEach(() => notifications.getState().clear());

describe('opening an invitation in the app', () => {
  it('asks, naming the workspace and the one left, and joins only when the user agrees', async () => {
    network.getState().setStatus({
      workspace: current,
      interface: { name: 'lo', address: '127.0.0.1', mtu: 65536, loopback: true, chosenBy: 'loopback' },
      membership: { address: '127.0.0.1:7070', foundBy: 'serving', servedHere: true, state: 'connected' },
      transport: 'none',
      regions: [],
      peers: [],
      problems: [],
    });
    const bridge = new FakeBridge({
      join: () => ({
        workspace: { id: team.id, name: team.name },
        replaced: current,
        restartNeeded: true,
        message: 'Joined "Design". Restart the app (quit and start it again) to work in it.',
      }),
    });
    const xml = writeInvitation(team);
    const questions: string[] = [];
    await offerInvitation(bridge, xml, 'design.liveobject', (q) => (questions.push(q), false));
    expect(questions[0]).toContain('Join the workspace "Design"?');
    expect(questions[0]).toContain(`This machine leaves "Bob's workspace"`);
    expect(bridge.calls).toEqual([]);

    await offerInvitation(bridge, xml, 'design.liveobject', () => true);
    expect(bridge.calls).toEqual([{ command: 'join', args: { xml, source: 'design.liveobject' } }]);
    expect(notifications.getState().items.map((n) => [n.level, n.message])).toEqual([
      ['info', 'Joined "Design". Restart the app (quit and start it again) to work in it.'],
    ]);
  });

  it('reports a malformed invitation without asking', async () => {
    const bridge = new FakeBridge();
    let asked = false;
    const broken = writeInvitation(team).replace(/(<value type="bytes">)[^<]*/, '$1AAAA');
    await offerInvitation(bridge, broken, 'x.liveobject', () => (asked = true));
    expect(asked).toBe(false);
    expect(notifications.getState().items[0]?.message).toContain('x.liveobject is not a valid invitation');
  });

  it('says when the machine is a member already', () => {
    expect(joinQuestion({ workspace: current, current })).toContain('already a member');
  });
});
