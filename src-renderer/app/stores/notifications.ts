// Readable messages for the user: every rejected call and every host `error` event lands here
// until dismissed. Repeats of the same message are folded into one with a count.
import { createStore, useStore } from 'zustand';

export interface Notification {
  readonly id: number;
  readonly level: 'error' | 'info';
  readonly message: string;
  readonly count: number;
}

interface NotificationState {
  readonly items: readonly Notification[];
  notify(message: string, level?: Notification['level']): void;
  dismiss(id: number): void;
  clear(): void;
}

/** Oldest messages go first once this many are shown. */
const MAX_SHOWN = 6;

export function createNotificationStore() {
  let nextId = 1;
  return createStore<NotificationState>()((set) => ({
    items: [],
    notify: (message, level = 'error') =>
      set(({ items }) => {
        const same = items.find((n) => n.message === message && n.level === level);
        if (same) {
          return { items: [...items.filter((n) => n !== same), { ...same, count: same.count + 1 }] };
        }
        return { items: [...items, { id: nextId++, level, message, count: 1 }].slice(-MAX_SHOWN) };
      }),
    dismiss: (id) => set(({ items }) => ({ items: items.filter((n) => n.id !== id) })),
    clear: () => set({ items: [] }),
  }));
}

export const notifications = createNotificationStore();

export function useNotifications<T>(selector: (state: NotificationState) => T): T {
  return useStore(notifications, selector);
}

export function notifyError(message: string): void {
  notifications.getState().notify(message, 'error');
}
