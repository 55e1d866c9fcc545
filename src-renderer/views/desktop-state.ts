// Reads a desktop's view state defensively. Assumed shape (docs/renderer.md):
// { items: Array<{ id, reference, x, y, width, height, z, title?, kind? }> }.
// Items without an id or reference are skipped; missing numbers get defaults.

export interface DesktopItemView {
  readonly id: string;
  readonly reference: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly z: number;
  readonly title?: string;
  readonly kind?: string;
}

export interface DesktopViewState {
  /** Back to front. */
  readonly items: readonly DesktopItemView[];
}

export const DEFAULT_ITEM_SIZE = { width: 320, height: 240 } as const;
export const MIN_ITEM_SIZE = { width: 120, height: 80 } as const;

export function parseDesktopState(state: unknown): DesktopViewState {
  const raw = state && typeof state === 'object' ? (state as { items?: unknown }).items : undefined;
  if (!Array.isArray(raw)) return { items: [] };
  const seen = new Set<string>();
  const items: DesktopItemView[] = [];
  raw.forEach((entry: unknown, index) => {
    const item = parseItem(entry, index);
    if (item && !seen.has(item.id)) {
      seen.add(item.id);
      items.push(item);
    }
  });
  items.sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { items };
}

function parseItem(entry: unknown, index: number): DesktopItemView | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const r = entry as Record<string, unknown>;
  const id = typeof r.id === 'string' ? r.id : typeof r.id === 'number' ? String(r.id) : undefined;
  if (!id || typeof r.reference !== 'string' || !r.reference.trim()) return undefined;
  return {
    id,
    reference: r.reference,
    x: num(r.x, 0),
    y: num(r.y, 0),
    width: Math.max(MIN_ITEM_SIZE.width, num(r.width, DEFAULT_ITEM_SIZE.width)),
    height: Math.max(MIN_ITEM_SIZE.height, num(r.height, DEFAULT_ITEM_SIZE.height)),
    z: num(r.z, index),
    ...(typeof r.title === 'string' && r.title ? { title: r.title } : {}),
    ...(typeof r.kind === 'string' && r.kind ? { kind: r.kind } : {}),
  };
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** How large the scrollable plane must be to show every item, plus room to drop more. */
export function desktopExtent(
  items: readonly DesktopItemView[],
  margin = 400,
): { width: number; height: number } {
  let width = 0;
  let height = 0;
  for (const item of items) {
    width = Math.max(width, item.x + item.width);
    height = Math.max(height, item.y + item.height);
  }
  return { width: width + margin, height: height + margin };
}

export function topZ(items: readonly DesktopItemView[]): number {
  return items.reduce((top, item) => Math.max(top, item.z), Number.NEGATIVE_INFINITY);
}
