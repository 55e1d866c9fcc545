// Where UI objects keep the local durable copy of their state (the host implements it on
// disk under home/state/<key>/). Loads are synchronous because a model must be restored
// before it joins its group; saves are asynchronous, atomic and durable.
import { createHash } from 'node:crypto';
import type { Address } from '../../../src-shared/format/document';

export interface StoredMeta {
  readonly template: string;
  readonly group: string;
  readonly gms: string;
}

export interface StateStore {
  /** The last saved state under `key` (or one being written), undefined if none. */
  load(key: string): Uint8Array | undefined;
  /**
   * Replaces the state under `key`; resolves once it is durable. Rejects when the write fails
   * (the object keeps running); the store then keeps the bytes (load() returns them) and retries
   * by itself, so an object may end while its last state is still unsaved.
   */
  save(key: string, bytes: Uint8Array, meta: StoredMeta): Promise<void>;
  /** Moves an unreadable state aside so it is not loaded again. */
  quarantine(key: string): void;
}

/**
 * A file-system-safe key: the group name (readable when listing state/) plus a digest of
 * template, GMS and group (unique: the same group name under another template is another key).
 */
export function stateKey(template: string, gms: Address, group: string): string {
  const readable = group.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'group';
  const digest = createHash('sha256').update(`${template}\n${gms.host}:${gms.port}\n${group}`).digest('hex');
  return `${readable}-${digest.slice(0, 12)}`;
}
