// The connection area of the top bar: one line saying how this host is connected (or its first
// problem, in a warning colour), and on click a panel with the platform (the LAN, or NATS and its
// connection state), on the LAN the interface, the membership service and how it was found and
// the transport, the peers and the problems, as the host reports them (`network` command and
// events; `liveobjects doctor` prints the same).
import { useEffect, useId, useRef, useState } from 'react';
import type { NetworkStatus } from '../../src-shared/bridge/protocol';
import type { LanNetworkStatus, NatsNetworkStatus, Peer } from '../../src-shared/bridge/network';
import { isNatsStatus } from '../../src-shared/bridge/network';
import {
  CHOSEN_BY,
  NATS_GIVEN,
  NO_PRESENCE_TEXT,
  bridgeText,
  natsStateText,
  platformText,
  TRANSPORTS_TEXT,
  interfaceText,
  membershipAddress,
  membershipHowText,
  membershipStateText,
  networkSummary,
  peerStateText,
  regionText,
  workspaceText,
} from '../../src-shared/bridge/network-text';
import { Icon } from './Icon';
import { useNetwork } from './stores/network';

export function NetworkArea(): React.JSX.Element | null {
  const status = useNetwork((s) => s.status);
  return status ? <NetworkSummary status={status} /> : null;
}

/** The summary line and, while open, the panel. */
export function NetworkSummary({ status }: { status: NetworkStatus }): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const area = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onPointer = (e: PointerEvent): void => {
      if (!(e.target instanceof Node) || !area.current?.contains(e.target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const state = summaryState(status);
  return (
    <div className="network-area" ref={area}>
      <button
        type="button"
        className={`network-summary ${state}`}
        data-testid="network-summary"
        data-state={state}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-haspopup="dialog"
        title="Network: interface, membership service, transport and peers"
        onClick={() => setOpen((o) => !o)}
      >
        <span className="network-dot" aria-hidden="true" />
        {networkSummary(status)}
      </button>
      {open && <NetworkPanel id={panelId} status={status} onClose={() => setOpen(false)} />}
    </div>
  );
}

/** `warning` when a problem is named, `busy` while the membership service (or NATS) is being
 * reached. */
export function summaryState(status: NetworkStatus): 'ok' | 'busy' | 'warning' {
  if (status.problems.length > 0) return 'warning';
  const state = isNatsStatus(status) ? status.platform.state : status.membership.state;
  return state === 'connected' ? 'ok' : 'busy';
}

export function NetworkPanel({
  id,
  status,
  onClose,
}: {
  id: string;
  status: NetworkStatus;
  onClose: () => void;
}): React.JSX.Element {
  const { problems } = status;
  const titleId = `${id}-title`;
  return (
    <section
      id={id}
      className="network-panel"
      role="dialog"
      aria-labelledby={titleId}
      data-testid="network-panel"
    >
      <header className="network-panel-header">
        <h2 id={titleId}>Network</h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close"
          data-testid="network-panel-close"
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </header>
      {problems.length > 0 && (
        <ul className="network-problems" data-testid="network-problems" aria-label="Problems">
          {problems.map((p) => (
            <li key={p.kind} className="network-problem" data-testid="network-problem" data-kind={p.kind}>
              {p.message}
            </li>
          ))}
        </ul>
      )}
      <dl className="network-facts">
        {status.workspace && (
          <>
            <dt>Workspace</dt>
            <dd
              data-testid="network-workspace"
              data-id={status.workspace.id}
              data-name={status.workspace.name}
              data-joined={status.workspace.joined?.name}
            >
              {workspaceText(status.workspace)}
            </dd>
          </>
        )}
        <dt>Platform</dt>
        {isNatsStatus(status) ? (
          <dd
            data-testid="network-platform"
            data-kind="nats"
            data-state={status.platform.state}
            data-servers={status.platform.servers.join(',')}
          >
            {`${platformText(status)} · ${natsStateText(status.platform)}`}
            <span className="network-how">{NATS_GIVEN[status.platform.given]}</span>
          </dd>
        ) : (
          <dd data-testid="network-platform" data-kind="lan">
            {platformText(status)}
          </dd>
        )}
        {isNatsStatus(status) ? <NatsFacts status={status} /> : <LanFacts status={status} />}
      </dl>
    </section>
  );
}

function LanFacts({ status }: { status: LanNetworkStatus }): React.JSX.Element {
  const { interface: iface, membership } = status;
  return (
    <>
      {status.bridge && (
        <>
          <dt>Bridge</dt>
          <dd data-testid="network-bridge" data-state={status.bridge.state}>
            {bridgeText(status.bridge)}
          </dd>
        </>
      )}
      <dt>Interface</dt>
      <dd data-testid="network-interface" data-name={iface.name} data-address={iface.address}>
        {`${interfaceText(iface)} · MTU ${iface.mtu}`}
        <span className="network-how">{CHOSEN_BY[iface.chosenBy]}</span>
      </dd>
      <dt>Membership service</dt>
      <dd
        data-testid="network-membership"
        data-address={membership.address}
        data-found-by={membership.foundBy}
        data-state={membership.state}
      >
        {`${membershipAddress(membership)} · ${membershipStateText(membership)}`}
        <span className="network-how">{membershipHowText(membership)}</span>
      </dd>
      <dt>Transport</dt>
      <dd data-testid="network-transport" data-transport={status.transport}>
        {TRANSPORTS_TEXT[status.transport]}
        {status.transport === 'mixed' && (
          <ul className="network-regions">
            {status.regions.map((r) => (
              <li key={r.region} data-testid="network-region" data-transport={r.transport}>
                {regionText(r)}
              </li>
            ))}
          </ul>
        )}
      </dd>
      <PeerFacts peers={status.peers} />
    </>
  );
}

function NatsFacts({ status }: { status: NatsNetworkStatus }): React.JSX.Element {
  if (status.presence) return <PeerFacts peers={status.peers} />;
  return (
    <>
      <dt>Peers</dt>
      <dd className="muted" data-testid="network-no-presence">
        {NO_PRESENCE_TEXT}
      </dd>
    </>
  );
}

function PeerFacts({ peers }: { peers: readonly Peer[] }): React.JSX.Element {
  return (
    <>
      <dt>{`Peers (${peers.length})`}</dt>
      <dd>
        {peers.length === 0 ? (
          <span className="muted">No other host yet</span>
        ) : (
          <ul className="network-peers" data-testid="network-peers" data-count={peers.length}>
            {peers.map((p) => (
              <li
                key={p.id}
                className={`network-peer ${p.heard ? 'heard' : 'silent'}`}
                data-testid="network-peer"
                data-heard={p.heard}
                title={p.id}
              >
                <span className="network-peer-name">{p.name}</span>
                <span className="muted">{p.address}</span>
                <span className="network-peer-state">{peerStateText(p)}</span>
              </li>
            ))}
          </ul>
        )}
      </dd>
    </>
  );
}
