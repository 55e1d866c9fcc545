// Built-in live objects implemented in this build, and the catalogue of all v1 ids.
import { Runtime } from '../runtime/runtime';
import type { RuntimeOptions } from '../runtime/runtime';
import type { BuiltinCatalogueOptions } from './builtins';
import { builtinCatalogue } from './builtins';

export { builtinCatalogue, combineObjectTypes, QSM_CHANNEL_TYPE, SEALED_CHANNEL_TYPE } from './builtins';
export type { BuiltinCatalogueOptions } from './builtins';
export { ObjectInstances } from './instances';
export type { InstanceRegistration } from './instances';
export { MemoryFolder } from './memory-folder';
export type { MemoryFolderOptions } from './memory-folder';
export {
  REGISTRY_ID,
  RegistryError,
  defaultRegistryEntries,
  defaultRegistryPath,
  loadRegistry,
  registryEntry,
} from './registry';
export type { RegistryOptions } from './registry';
export {
  LIBRARY_ID,
  LibraryConsentError,
  LibraryError,
  LibraryUrlError,
  libraryEntry,
  libraryItemId,
  loadLibrary,
  sha256Hex,
} from './library';
export type { LibraryOptions } from './library';
export type { LibraryConsent, LibraryDecision } from './libraries/consent';
export { NO_CONSENT, RegistryConsent, givenConsent } from './libraries/consent';
export { defineLibrary, LIBRARY_API } from './library-api';
export * from './qsm';
export * from './sealed';
export * from './ui';
export * from './ui3d';
export type * from './library-api';

/** A runtime over the built-in catalogue. */
export function createRuntime(options: Partial<RuntimeOptions> & BuiltinCatalogueOptions = {}): Runtime {
  const {
    registry,
    qsm,
    instances,
    ui,
    checkpointed,
    library,
    sealed,
    nats,
    natsChannel,
    catalogue,
    ...rest
  } = options;
  const builtins: BuiltinCatalogueOptions = {
    ...(registry ? { registry } : {}),
    ...(qsm ? { qsm } : {}),
    ...(instances ? { instances } : {}),
    ...(ui ? { ui } : {}),
    ...(checkpointed ? { checkpointed } : {}),
    ...(library ? { library } : {}),
    ...(sealed ? { sealed } : {}),
    ...(nats ? { nats } : {}),
    ...(natsChannel ? { natsChannel } : {}),
  };
  return new Runtime({ ...rest, catalogue: catalogue ?? builtinCatalogue(builtins) });
}
