// Adapts the DOM's DataTransfer (drops and pastes) to the pure DropInput of drop-data.ts.
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

/** A dropped or chosen file's contents, as the bridge carries them. */
export async function fileBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}
