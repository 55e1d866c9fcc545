// Adapts the DOM's DataTransfer (drops and pastes) to the pure DropInput of drop-data.ts.
import { bytesToBase64 } from '../bridge/base64';
import type { DropInput } from './drop-data';

export function dropInputOf(data: DataTransfer): DropInput<File> {
  return {
    types: [...data.types],
    getData: (type) => data.getData(type),
    files: [...data.files],
  };
}

/** Whether keys and pastes belong to an editor inside the target rather than to the desktop. */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable || target.closest('input, textarea, select, [contenteditable="true"]') !== null
  );
}

export async function fileToBase64(file: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}
