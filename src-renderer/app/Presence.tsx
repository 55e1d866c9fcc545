// Who has an object open, from the host's `presence` events.
import { usePresence } from './stores/replicas';

export function Presence({ handle }: { handle: string }): React.JSX.Element {
  const members = usePresence(handle);
  return (
    <ul
      className="presence"
      data-testid="presence"
      aria-label="Who has this open"
      data-count={members.length}
    >
      {members.map((m) => (
        <li key={m.id} className="presence-member" data-testid="presence-member" title={m.name}>
          <span className="avatar" aria-hidden="true">
            {initials(m.name)}
          </span>
          <span className="presence-name">{m.name}</span>
        </li>
      ))}
    </ul>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? `${parts[0]?.[0] ?? ''}${parts[1]?.[0] ?? ''}` : name.slice(0, 2);
  return letters.toUpperCase() || '?';
}
