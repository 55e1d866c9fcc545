// One placed item: a window on the desktop plane. Moving and resizing are shown locally while
// the pointer is down and sent as intents (throttled during the gesture, final on release);
// the replicated position then comes back in the desktop's state.
import { useEffect, useRef, useState } from 'react';
import type { Intent } from '../../src-shared/bridge/protocol';
import { useBridge } from '../app/BridgeContext';
import type { DesktopItem } from '../../src-shared/bridge/view-state';
import type { Box } from './desktop-state';
import { MIN_ITEM_SIZE, shownBox } from './desktop-state';
import { copyReference, startReferenceDrag } from './drag-out';
import { NestedObject } from './NestedObject';
import { attempt } from '../app/attempt';
import { local } from '../app/stores/local';
import { Icon } from '../app/Icon';
import { KIND_TITLES, isViewKind } from '../../src-shared/bridge/kinds';

export interface DesktopItemFrameProps {
  readonly item: DesktopItem;
  /** Stacking order among the desktop's items (1 = back). */
  readonly layer: number;
  readonly isTop: boolean;
  readonly selected: boolean;
  readonly ancestors: readonly string[];
  act(intent: Intent): void;
  onSelect(): void;
}

interface Gesture {
  readonly mode: 'move' | 'resize';
  readonly pointerId: number;
  readonly startX: number;
  readonly startY: number;
  readonly from: Box;
  /** Screen pixels per desktop pixel (zoom of this desktop and any enclosing ones). */
  readonly scale: number;
  lastSent: number;
}

const LIVE_INTENT_MS = 120;
/** A gesture's local box is dropped if the replicated state has not caught up by then. */
const SETTLE_MS = 2_000;

export function DesktopItemFrame(props: DesktopItemFrameProps): React.JSX.Element {
  const { item, layer, isTop, selected, ancestors, act, onSelect } = props;
  const bridge = useBridge();
  const frameRef = useRef<HTMLDivElement>(null);
  const gesture = useRef<Gesture | null>(null);
  const [localBox, setLocalBox] = useState<Box | null>(null);
  const [settling, setSettling] = useState(false);
  const title = item.title ?? kindLabel(item.kind);

  // The replicated state caught up with (or overrode) our gesture: show it.
  useEffect(() => {
    if (!gesture.current) setLocalBox(null);
  }, [item.x, item.y, item.width, item.height]);

  useEffect(() => {
    if (!settling) return;
    const timer = setTimeout(() => {
      setSettling(false);
      if (!gesture.current) setLocalBox(null);
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [settling]);

  const box = localBox ?? shownBox(item);

  const begin = (e: React.PointerEvent, mode: Gesture['mode']) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    const plane = frameRef.current?.parentElement;
    const scale =
      plane && plane.offsetWidth > 0 ? plane.getBoundingClientRect().width / plane.offsetWidth : 1;
    e.currentTarget.setPointerCapture(e.pointerId);
    gesture.current = {
      mode,
      pointerId: e.pointerId,
      startX: e.clientX,
      startY: e.clientY,
      from: box,
      scale,
      lastSent: 0,
    };
  };

  const boxAt = (g: Gesture, e: React.PointerEvent): Box => {
    const dx = (e.clientX - g.startX) / g.scale;
    const dy = (e.clientY - g.startY) / g.scale;
    return g.mode === 'move'
      ? { ...g.from, x: Math.max(0, Math.round(g.from.x + dx)), y: Math.max(0, Math.round(g.from.y + dy)) }
      : {
          ...g.from,
          width: Math.max(MIN_ITEM_SIZE.width, Math.round(g.from.width + dx)),
          height: Math.max(MIN_ITEM_SIZE.height, Math.round(g.from.height + dy)),
        };
  };

  const intentFor = (g: Gesture, b: Box): Intent =>
    g.mode === 'move'
      ? { kind: 'desktop.move', id: item.id, x: b.x, y: b.y }
      : { kind: 'desktop.resize', id: item.id, width: b.width, height: b.height };

  const onPointerMove = (e: React.PointerEvent) => {
    const g = gesture.current;
    if (!g || g.pointerId !== e.pointerId) return;
    const next = boxAt(g, e);
    setLocalBox(next);
    const now = Date.now();
    if (now - g.lastSent >= LIVE_INTENT_MS) {
      g.lastSent = now;
      act(intentFor(g, next));
    }
  };

  const onPointerUp = (e: React.PointerEvent) => {
    const g = gesture.current;
    if (!g || g.pointerId !== e.pointerId) return;
    gesture.current = null;
    const next = boxAt(g, e);
    const moved =
      next.x !== g.from.x ||
      next.y !== g.from.y ||
      next.width !== g.from.width ||
      next.height !== g.from.height;
    if (moved) {
      setLocalBox(next);
      setSettling(true);
      act(intentFor(g, next));
    } else {
      setLocalBox(null);
    }
  };

  const raise = () => {
    onSelect();
    local.getState().setActive({ reference: item.reference, title });
    if (!isTop) act({ kind: 'desktop.raise', id: item.id });
  };

  const gestureHandlers = { onPointerMove, onPointerUp, onPointerCancel: onPointerUp };

  return (
    <div
      ref={frameRef}
      className={`desktop-item${selected ? ' selected' : ''}`}
      data-testid="desktop-item"
      data-item-id={item.id}
      data-kind={item.kind}
      style={{ left: box.x, top: box.y, width: box.width, height: box.height, zIndex: layer }}
      onPointerDownCapture={raise}
    >
      <div
        className="item-titlebar"
        data-testid="item-titlebar"
        onPointerDown={(e) => begin(e, 'move')}
        {...gestureHandlers}
      >
        <span
          className="grip"
          draggable
          role="button"
          tabIndex={-1}
          title="Drag this object's reference elsewhere"
          aria-label="Drag reference"
          data-testid="item-drag-handle"
          onPointerDown={(e) => e.stopPropagation()}
          onDragStart={(e) => startReferenceDrag(e, bridge, item.reference, title)}
        >
          <Icon name="grip" />
        </span>
        <span className="item-title" title={title}>
          {title}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label={`Copy the reference of ${title}`}
          title="Copy reference"
          data-testid="item-copy"
          onPointerDown={(e) => e.stopPropagation()}
          onClick={() => void attempt(copyReference(bridge, item.reference), 'Could not copy the reference')}
        >
          <Icon name="copy" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`Remove ${title} from the desktop`}
          title="Remove from desktop"
          data-testid="item-remove"
          onPointerDown={(e) => e.stopPropagation()}
          onClick={() => act({ kind: 'desktop.remove', id: item.id })}
        >
          <Icon name="close" />
        </button>
      </div>
      <div className="item-body">
        <NestedObject reference={item.reference} source={title} ancestors={ancestors} />
      </div>
      <div
        className="item-resize"
        data-testid="item-resize"
        aria-hidden="true"
        onPointerDown={(e) => begin(e, 'resize')}
        {...gestureHandlers}
      />
    </div>
  );
}

/** A title for items whose reference has none. */
export function kindLabel(kind: string | undefined): string {
  return kind && isViewKind(kind) ? KIND_TITLES[kind] : 'Live object';
}
