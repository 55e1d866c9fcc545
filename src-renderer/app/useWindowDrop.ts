// Drops that no desktop or image took: .liveobject files and dragged references open as new
// windows; anything else is swallowed, since a browser would otherwise navigate to the file
// (and lose the page, token included).
import { useEffect } from 'react';
import type { RendererBridge } from '../bridge/types';
import { classifyDrop } from '../views/drop-data';
import { dropInputOf } from '../views/dom-drop';
import { openReference, openReferenceFile } from './actions';
import { notifyError } from './stores/notifications';

export function useWindowDrop(bridge: RendererBridge): void {
  useEffect(() => {
    const onDragOver = (e: DragEvent) => {
      if (!e.dataTransfer) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      if (!e.dataTransfer) return;
      e.preventDefault();
      void openDropped(bridge, e.dataTransfer);
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [bridge]);
}

async function openDropped(bridge: RendererBridge, data: DataTransfer): Promise<void> {
  for (const payload of classifyDrop(dropInputOf(data))) {
    if (payload.kind === 'reference') await openReference(bridge, payload.xml, payload.source);
    else if (payload.kind === 'reference-file') await openReferenceFile(bridge, payload.file);
    else if (payload.kind === 'image-file' || payload.kind === 'template') {
      notifyError('Drop that onto a desktop to place it there.');
    }
  }
}
