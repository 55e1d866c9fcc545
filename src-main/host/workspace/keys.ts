// Keys derived from a workspace's key (docs/security.md): HKDF-SHA256 with the workspace id as
// salt and a versioned purpose as info, so that each use has its own key and a new derivation
// gets a new version string rather than changing an old one.
import { hkdfSync } from 'node:crypto';
import type { Workspace } from './store';

/** The purpose of the engine's packet key. */
export const PACKET_KEY_INFO = 'liveobjects packets v1';
export const PACKET_KEY_BYTES = 32;

/** The key that authenticates the engine's datagrams and membership frames of `workspace`. */
export function packetKey(workspace: Pick<Workspace, 'id' | 'key'>): Uint8Array {
  return new Uint8Array(
    hkdfSync('sha256', workspace.key, Buffer.from(workspace.id, 'hex'), PACKET_KEY_INFO, PACKET_KEY_BYTES),
  );
}
