// How a desktop's items (src-shared/bridge/view-state.ts `DesktopItem`) are laid out on its
// plane: items are never drawn smaller than a usable window, and the plane grows to hold them.
import type { DesktopItem } from '../../src-shared/bridge/view-state';

export const MIN_ITEM_SIZE = { width: 120, height: 80 } as const;

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Where an item is drawn: its replicated box, at least MIN_ITEM_SIZE. */
export function shownBox(item: DesktopItem): Box {
  return {
    x: item.x,
    y: item.y,
    width: Math.max(MIN_ITEM_SIZE.width, item.width),
    height: Math.max(MIN_ITEM_SIZE.height, item.height),
  };
}

/** How large the scrollable plane must be to show every item, plus room to drop more. */
export function desktopExtent(
  items: readonly DesktopItem[],
  margin = 400,
): { width: number; height: number } {
  let width = 0;
  let height = 0;
  for (const item of items) {
    const box = shownBox(item);
    width = Math.max(width, box.x + box.width);
    height = Math.max(height, box.y + box.height);
  }
  return { width: width + margin, height: height + margin };
}

export function topZ(items: readonly DesktopItem[]): number {
  return items.reduce((top, item) => Math.max(top, item.z), Number.NEGATIVE_INFINITY);
}
