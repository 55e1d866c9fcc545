// A shared 2D desktop: its placed items as windows on a scrollable, zoomable plane. Items and
// their positions come only from `state` events; zoom, scroll and selection are this user's.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { OpenedObject } from '../../src-shared/bridge/protocol';
import type { DesktopItem } from '../../src-shared/bridge/view-state';
import { useBridge } from '../app/BridgeContext';
import { DEFAULT_VIEWPORT, ZOOM_LIMITS, local, useSelection, useViewport } from '../app/stores/local';
import { useViewState } from '../app/stores/replicas';
import { DesktopItemFrame } from './DesktopItemFrame';
import { performDrop } from './desktop-drop';
import { desktopExtent } from './desktop-state';
import { dropInputOf, isEditableTarget } from './dom-drop';
import { acceptsDrag, classifyDrop } from './drop-data';
import { DropRefusal, useDropRefusal } from './DropRefusal';
import { useAct } from './useAct';

export interface DesktopViewProps {
  readonly object: OpenedObject;
  readonly ancestors: readonly string[];
}

const KEY_STEP = 10;
const NO_ITEMS: readonly DesktopItem[] = [];

export function DesktopView({ object, ancestors }: DesktopViewProps): React.JSX.Element {
  const bridge = useBridge();
  const { handle, reference } = object;
  const viewKey = reference.trim();
  const items = useViewState(handle, 'desktop')?.items ?? NO_ITEMS;
  const viewport = useViewport(viewKey);
  const selected = useSelection(viewKey);
  const rootRef = useRef<HTMLDivElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const lastPointer = useRef<{ clientX: number; clientY: number } | null>(null);
  const { refusal, refuseAt, dismiss, keep } = useDropRefusal(rootRef);
  const [dragOver, setDragOver] = useState(false);
  const inner = useMemo(() => [...ancestors, viewKey], [ancestors, viewKey]);
  const extent = desktopExtent(items);
  const zoom = viewport.zoom;

  const act = useAct(handle, 'The desktop did not take the change');

  // Restore this user's scroll position when the desktop is shown (again). Read from the store,
  // not from render: afterwards the scroller is the source of truth and writes it back.
  useLayoutEffect(() => {
    const { scrollX, scrollY } = local.getState().viewports[viewKey] ?? DEFAULT_VIEWPORT;
    scrollerRef.current?.scrollTo(scrollX, scrollY);
  }, [viewKey]);

  /** Client coordinates → desktop coordinates (undoing scroll, zoom and outer transforms). */
  const toDesktop = useCallback(
    (clientX: number, clientY: number) => {
      const scroller = scrollerRef.current;
      if (!scroller) return { x: 0, y: 0 };
      const rect = scroller.getBoundingClientRect();
      const outer = scroller.offsetWidth > 0 ? rect.width / scroller.offsetWidth : 1;
      return {
        x: ((clientX - rect.left) / outer + scroller.scrollLeft) / zoom,
        y: ((clientY - rect.top) / outer + scroller.scrollTop) / zoom,
      };
    },
    [zoom],
  );

  const dropAt = (data: DataTransfer, clientX: number, clientY: number) => {
    const at = toDesktop(clientX, clientY);
    const payloads = classifyDrop(dropInputOf(data));
    void performDrop(
      { bridge, handle, x: at.x, y: at.y, refuse: (reason, why) => refuseAt(reason, clientX, clientY, why) },
      payloads,
    );
  };

  const onDragOver = (e: React.DragEvent) => {
    if (!acceptsDrag([...e.dataTransfer.types])) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = 'copy';
    if (!dragOver) setDragOver(true);
  };

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setDragOver(false);
    dropAt(e.dataTransfer, e.clientX, e.clientY);
  };

  const onPaste = (e: React.ClipboardEvent) => {
    if (e.defaultPrevented || isEditableTarget(e.target)) return;
    e.preventDefault();
    e.stopPropagation();
    const scroller = scrollerRef.current?.getBoundingClientRect();
    const point = lastPointer.current ?? {
      clientX: (scroller?.left ?? 0) + 40,
      clientY: (scroller?.top ?? 0) + 40,
    };
    dropAt(e.clipboardData, point.clientX, point.clientY);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (isEditableTarget(e.target)) return;
    const item = items.find((i) => i.id === selected);
    if (e.key === 'Escape') {
      local.getState().select(viewKey, undefined);
    } else if (item && (e.key === 'Delete' || e.key === 'Backspace')) {
      act({ kind: 'desktop.remove', id: item.id });
    } else if (item && e.key.startsWith('Arrow')) {
      const step = e.shiftKey ? KEY_STEP * 5 : KEY_STEP;
      const dx = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0;
      const dy = e.key === 'ArrowUp' ? -step : e.key === 'ArrowDown' ? step : 0;
      act({ kind: 'desktop.move', id: item.id, x: Math.max(0, item.x + dx), y: Math.max(0, item.y + dy) });
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const onWheel = (e: React.WheelEvent) => {
    if (!e.ctrlKey) return;
    e.stopPropagation();
    local.getState().zoomBy(viewKey, e.deltaY < 0 ? ZOOM_LIMITS.step : 1 / ZOOM_LIMITS.step);
  };

  const top = items.length > 0 ? (items[items.length - 1]?.id ?? '') : '';

  return (
    <div
      ref={rootRef}
      className={`desktop${dragOver ? ' drag-over' : ''}`}
      data-testid="desktop"
      data-handle={handle}
      tabIndex={0}
      aria-label={`Desktop ${object.title}`}
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragOver(false);
      }}
      onDrop={onDrop}
      onPaste={onPaste}
      onKeyDown={onKeyDown}
      onPointerMove={(e) => {
        lastPointer.current = { clientX: e.clientX, clientY: e.clientY };
      }}
    >
      <div className="desktop-toolbar">
        <span className="desktop-count">{items.length === 1 ? '1 object' : `${items.length} objects`}</span>
        <button
          type="button"
          className="icon-button"
          aria-label="Zoom out"
          data-testid="zoom-out"
          onClick={() => local.getState().zoomBy(viewKey, 1 / ZOOM_LIMITS.step)}
        >
          −
        </button>
        <button
          type="button"
          className="zoom-label"
          aria-label="Reset zoom"
          data-testid="zoom-reset"
          onClick={() => local.getState().setZoom(viewKey, 1)}
        >
          {Math.round(zoom * 100)}%
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Zoom in"
          data-testid="zoom-in"
          onClick={() => local.getState().zoomBy(viewKey, ZOOM_LIMITS.step)}
        >
          +
        </button>
      </div>
      <div
        ref={scrollerRef}
        className="desktop-viewport"
        onScroll={(e) =>
          local.getState().setScroll(viewKey, e.currentTarget.scrollLeft, e.currentTarget.scrollTop)
        }
        onWheel={onWheel}
        onPointerDown={(e) => {
          if (e.target === e.currentTarget || (e.target as HTMLElement).classList.contains('desktop-plane')) {
            local.getState().select(viewKey, undefined);
          }
        }}
      >
        <div className="desktop-canvas" style={{ width: extent.width * zoom, height: extent.height * zoom }}>
          <div
            className="desktop-plane"
            style={{ width: extent.width, height: extent.height, transform: `scale(${zoom})` }}
          >
            {items.map((item, index) => (
              <DesktopItemFrame
                key={item.id}
                item={item}
                layer={index + 1}
                isTop={item.id === top}
                selected={item.id === selected}
                ancestors={inner}
                act={act}
                onSelect={() => local.getState().select(viewKey, item.id)}
              />
            ))}
          </div>
        </div>
        {items.length === 0 && (
          <div className="desktop-hint" data-testid="desktop-empty">
            Drag a template from the Toolbox, a <code>.liveobject</code> file or an image here, or paste a
            reference.
          </div>
        )}
      </div>
      {refusal && <DropRefusal key={refusal.id} refusal={refusal} onDismiss={dismiss} onKeep={keep} />}
    </div>
  );
}
