// Errors and notices, bottom right, each dismissible.
import { Icon } from './Icon';
import { notifications, useNotifications } from './stores/notifications';

export function Notifications(): React.JSX.Element {
  const items = useNotifications((s) => s.items);
  return (
    <div className="notifications" aria-live="polite">
      {items.map((n) => (
        <div
          key={n.id}
          className={`notification ${n.level}`}
          data-testid="notification"
          role={n.level === 'error' ? 'alert' : 'status'}
        >
          <span className="notification-message">
            {n.message}
            {n.count > 1 && <span className="notification-count"> ×{n.count}</span>}
          </span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            data-testid="notification-dismiss"
            onClick={() => notifications.getState().dismiss(n.id)}
          >
            <Icon name="close" />
          </button>
        </div>
      ))}
    </div>
  );
}
