// liveobjects.sealed: private objects. A wrapper over any channel with membership views that
// encrypts and authenticates every message under the key in the object's reference.
export {
  OBJECT_KEY_BYTES,
  Opener,
  Sealer,
  checkObjectKey,
  freshObjectKey,
  keyFingerprint,
} from './object-key';
export type { Opened, RejectReason } from './object-key';
export { SealedGroupChannel } from './sealed-channel';
export type { RejectionCounts, SealedChannelOptions } from './sealed-channel';
export { SEALED_ID, sealedEntry } from './sealed-entry';
export type { SealedEntryOptions } from './sealed-entry';
export { holdsObjectKey, keyExposure, sealedKeysIn } from './references';
