// Dragging a reference out of an item or window: as XML for other desktops and other apps, and
// in Electron as a real .liveobject file via the shell (which replaces the HTML5 drag).
import type { RendererBridge } from '../bridge/types';
import { LIVEOBJECT_MIME } from './drop-data';

export function startReferenceDrag(
  event: React.DragEvent,
  bridge: RendererBridge,
  xml: string,
  title: string,
): void {
  event.stopPropagation();
  if (bridge.startDrag(xml, title)) {
    event.preventDefault();
    return;
  }
  event.dataTransfer.setData(LIVEOBJECT_MIME, xml);
  event.dataTransfer.setData('text/plain', xml);
  event.dataTransfer.effectAllowed = 'copy';
}

export async function copyReference(bridge: RendererBridge, xml: string): Promise<void> {
  if (bridge.copyReference) await bridge.copyReference(xml);
  else await navigator.clipboard.writeText(xml);
}

/** "Save reference as…": the shell's dialog in Electron, a .liveobject download in a browser. */
export async function saveReference(bridge: RendererBridge, xml: string, title: string): Promise<void> {
  if (bridge.saveReference) {
    await bridge.saveReference(xml, title);
    return;
  }
  const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${fileNameOf(title)}.liveobject`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function fileNameOf(title: string): string {
  const printable = [...title].filter((c) => c.charCodeAt(0) >= 32).join('');
  const name = printable
    .replace(/[\\/:*?"<>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return name || 'object';
}
