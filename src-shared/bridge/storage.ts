// Whether the host can write the objects' state to disk (home/state). `failing` lasts until
// every state held in memory is written: the renderer shows a banner for as long as it lasts.
import { NonNegativeInt } from './values';
import type { Infer } from './zod';
import { z } from './zod';

export const StorageStatus = z.union([
  z.object({
    state: z.literal('ok'),
    /** Objects whose newest state is being written now. */
    unsaved: NonNegativeInt,
  }),
  z.object({
    state: z.literal('failing'),
    /** Objects whose newest state is held in memory only, retried until written. */
    unsaved: NonNegativeInt,
    /** Why the last write failed (e.g. the disk is full), naming the directory. */
    message: z.string(),
    /** When writes began to fail (ISO 8601). */
    since: z.string(),
  }),
]);
export type StorageStatus = Infer<typeof StorageStatus>;

/** The banner's text for a failing status. */
export function storageWarning(status: StorageStatus): string | undefined {
  if (status.state === 'ok') return undefined;
  const what = status.unsaved === 1 ? '1 object' : `${status.unsaved} objects`;
  return `Changes cannot be saved to disk: ${status.message}. The unsaved state of ${what} is kept in memory and written as soon as saving works again; free some space and keep the app open until this warning goes.`;
}
