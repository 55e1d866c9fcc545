// The connection area rendered to markup (the renderer's tests run in node, without a DOM).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { NetworkStatus } from '../../src-shared/bridge/protocol';
import type { NatsNetworkStatus } from '../../src-shared/bridge/network';
import { NetworkArea, NetworkPanel, NetworkSummary, summaryState } from './NetworkArea';

const HEALTHY: NetworkStatus = {
  interface: { name: 'eth0', address: '10.0.0.5', mtu: 1500, loopback: false, chosenBy: 'route' },
  membership: { address: '10.0.0.7:7070', foundBy: 'dns-sd', servedHere: false, state: 'connected' },
  transport: 'multicast',
  regions: [{ region: 'r1', transport: 'multicast', members: 4 }],
  peers: [
    { id: '10.0.0.6:4100/a1', name: 'Bob', address: '10.0.0.6:4100', heard: true },
    { id: '10.0.0.7:4200/b2', name: 'Carol', address: '10.0.0.7:4200', heard: true },
    { id: '10.0.0.8:4300/c3', name: 'node 10.0.0.8:4300/c3', address: '10.0.0.8:4300', heard: true },
  ],
  problems: [],
};

const TROUBLED: NetworkStatus = {
  ...HEALTHY,
  membership: { ...HEALTHY.membership, foundBy: 'took-over', servedHere: true },
  transport: 'mixed',
  regions: [
    { region: 'r1', transport: 'multicast', members: 4 },
    { region: 'r2', transport: 'unicast', members: 2 },
  ],
  peers: [{ ...HEALTHY.peers[0]!, heard: false }],
  problems: [
    { kind: 'silent-peers', message: 'A peer is registered with the membership service, but …' },
    { kind: 'multicast-blocked', message: 'IP multicast does not arrive in 1 of …' },
  ],
};

/** The text of the element with `testId` in `html` (tags stripped). */
function textOf(html: string, testId: string): string {
  const start = html.indexOf(`data-testid="${testId}"`);
  if (start < 0) return '';
  const open = html.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(html.slice(open))?.[1] ?? 'div';
  let depth = 0;
  const re = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
  re.lastIndex = open;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0)
      return html
        .slice(open, m.index)
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
  }
  return '';
}

describe('NetworkArea', () => {
  it('shows nothing before the host has answered', () => {
    expect(renderToStaticMarkup(<NetworkArea />)).toBe('');
  });

  it('sums a healthy network up in one line, as a button that opens the details', () => {
    const html = renderToStaticMarkup(<NetworkSummary status={HEALTHY} />);
    expect(textOf(html, 'network-summary')).toBe('LAN · eth0 10.0.0.5 · 3 peers · multicast');
    expect(html).toContain('data-state="ok"');
    expect(html).toContain('aria-expanded="false"');
    expect(html).toContain('aria-haspopup="dialog"');
    expect(html).not.toContain('network-panel');
  });

  it('leads with the first problem, in the warning state', () => {
    const html = renderToStaticMarkup(<NetworkSummary status={TROUBLED} />);
    expect(textOf(html, 'network-summary')).toBe(
      'Peers not heard (+1) · eth0 10.0.0.5 · 1 peer · multicast and unicast fan-out',
    );
    expect(html).toContain('data-state="warning"');
  });

  it('says when the membership service is being reached', () => {
    const connecting = { ...HEALTHY, membership: { ...HEALTHY.membership, state: 'connecting' as const } };
    expect(summaryState(connecting)).toBe('busy');
    expect(textOf(renderToStaticMarkup(<NetworkSummary status={connecting} />), 'network-summary')).toBe(
      'LAN · eth0 10.0.0.5 · 3 peers · membership connecting',
    );
  });
});

describe('NetworkPanel', () => {
  const panel = (status: NetworkStatus) =>
    renderToStaticMarkup(<NetworkPanel id="p" status={status} onClose={() => undefined} />);

  it('shows the interface, the membership service, the transport and the peers', () => {
    const html = panel(HEALTHY);
    expect(html).toMatch(/role="dialog" aria-labelledby="p-title"/);
    expect(textOf(html, 'network-interface')).toBe(
      'eth0 10.0.0.5 · MTU 1500 on the route to the membership service',
    );
    expect(textOf(html, 'network-membership')).toBe('10.0.0.7:7070 · connected found on the LAN (DNS-SD)');
    expect(textOf(html, 'network-transport')).toBe('multicast');
    expect(textOf(html, 'network-peers')).toBe(
      'Bob 10.0.0.6:4100 heard Carol 10.0.0.7:4200 heard node 10.0.0.8:4300/c3 10.0.0.8:4300 heard',
    );
    expect(html).not.toContain('network-problems');
  });

  it('lists the problems first, the regions when they differ, silent peers and who serves', () => {
    const html = panel(TROUBLED);
    expect(html.indexOf('network-problems')).toBeLessThan(html.indexOf('network-interface'));
    expect(html.match(/data-testid="network-problem"/g)).toHaveLength(2);
    expect(html).toContain('data-kind="silent-peers"');
    expect(textOf(html, 'network-membership')).toBe(
      '10.0.0.7:7070 · connected taken over when the host serving it left; served by this host',
    );
    expect(textOf(html, 'network-transport')).toBe(
      'multicast and unicast fan-out multicast to 4 members unicast fan-out to 2 members',
    );
    expect(textOf(html, 'network-peers')).toBe('Bob 10.0.0.6:4100 not heard');
    expect(html).toContain('data-heard="false"');
  });

  it('names the workspace, a workspace joined since the start, and a refusal by the service', () => {
    const workspace = { id: 'ab'.repeat(16), name: 'Design team' };
    const html = panel({ ...HEALTHY, workspace });
    expect(html.indexOf('network-workspace')).toBeLessThan(html.indexOf('network-interface'));
    expect(textOf(html, 'network-workspace')).toBe('Design team');
    const joined = panel({
      ...HEALTHY,
      workspace: { ...workspace, joined: { id: 'cd'.repeat(16), name: 'Team' } },
    });
    expect(textOf(joined, 'network-workspace')).toBe(
      'Design team (joined Team: restart the app to move to it)',
    );
    expect(joined).toContain('data-joined="Team"');
    const message =
      'This machine is not a member of the workspace served at 10.0.0.7:7070: ask a member for an invitation …';
    const refused: NetworkStatus = {
      ...HEALTHY,
      workspace,
      membership: { ...HEALTHY.membership, state: 'connecting', detail: 'MembershipRefusedError' },
      peers: [],
      problems: [{ kind: 'not-member', message }],
    };
    expect(textOf(panel(refused), 'network-problems')).toBe(message);
    const summary = renderToStaticMarkup(<NetworkSummary status={refused} />);
    expect(textOf(summary, 'network-summary')).toMatch(/^Design team · Not a member of this workspace · /);
  });

  it('says why the membership service is not connected', () => {
    const lost: NetworkStatus = {
      ...HEALTHY,
      membership: { ...HEALTHY.membership, state: 'lost', detail: 'connect ECONNREFUSED' },
      peers: [],
    };
    const html = panel(lost);
    expect(textOf(html, 'network-membership')).toMatch(
      /^10\.0\.0\.7:7070 · lost, retrying \(connect ECONNREFUSED\)/,
    );
    expect(html).toContain('No other host yet');
  });
});

describe('the platform in the connection area', () => {
  const NATS: NatsNetworkStatus = {
    workspace: { id: 'a'.repeat(32), name: 'Team' },
    platform: { kind: 'nats', servers: ['nats://hub.example:4222'], given: 'option', state: 'connected' },
    presence: false,
    peers: [],
    problems: [],
  };
  const panel = (status: NetworkStatus) =>
    renderToStaticMarkup(<NetworkPanel id="p" status={status} onClose={() => undefined} />);

  it('names the LAN platform, and a bridge asked for as not available yet', () => {
    expect(textOf(panel(HEALTHY), 'network-platform')).toBe('LAN (QuickSilver)');
    expect(panel(HEALTHY)).not.toContain('network-bridge');
    const bridged = panel({
      ...HEALTHY,
      bridge: { servers: ['nats://hub.example:4222'], state: 'not-available' },
    });
    expect(textOf(bridged, 'network-bridge')).toBe('to NATS at nats://hub.example:4222: not available yet');
  });

  it('shows a NATS platform with its servers and state, and no LAN facts', () => {
    const html = panel(NATS);
    expect(textOf(html, 'network-platform')).toBe(
      'NATS at nats://hub.example:4222 · connected given with --platform',
    );
    expect(html).toContain('data-kind="nats"');
    expect(html).toContain('data-state="connected"');
    for (const lan of ['network-interface', 'network-membership', 'network-transport'])
      expect(html).not.toContain(lan);
    expect(textOf(html, 'network-no-presence')).toBe(
      'not known: this platform does not tell which hosts are there',
    );
    expect(textOf(renderToStaticMarkup(<NetworkSummary status={NATS} />), 'network-summary')).toBe(
      'Team · NATS · hub.example:4222 · connected',
    );
    expect(summaryState(NATS)).toBe('ok');
  });

  it('says when NATS is being reached, and leads with its problem when it fails', () => {
    const reconnecting: NatsNetworkStatus = {
      ...NATS,
      platform: { ...NATS.platform, state: 'reconnecting', detail: 'connection refused' },
    };
    expect(summaryState(reconnecting)).toBe('busy');
    expect(textOf(panel(reconnecting), 'network-platform')).toContain('reconnecting (connection refused)');
    const failed: NatsNetworkStatus = {
      ...NATS,
      presence: true,
      platform: { ...NATS.platform, state: 'failed', detail: 'Authorization Violation' },
      problems: [
        { kind: 'nats-unreachable', message: 'The NATS servers at nats://hub.example:4222 cannot be used.' },
      ],
    };
    expect(summaryState(failed)).toBe('warning');
    expect(textOf(renderToStaticMarkup(<NetworkSummary status={failed} />), 'network-summary')).toBe(
      'Team · NATS unreachable · hub.example:4222 · no peers · failed',
    );
    expect(textOf(panel(failed), 'network-problems')).toContain('cannot be used');
  });
});
