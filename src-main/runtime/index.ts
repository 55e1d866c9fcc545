// Public API of the live object runtime (docs/runtime.md).
export type {
  Connection,
  Disposable,
  EventHandler,
  ExternalEndpoint,
  Portal,
  EndpointOptions,
} from './endpoint';
export type { Proxy } from './proxy';
export { LocalProxy, ProxyBase } from './proxy';
export { CompositeProxy } from './composite-proxy';
export type {
  CatalogueEntry,
  CreateContext,
  DereferenceOptions,
  InstantiateContext,
  ObjectEntry,
  ParameterDecl,
  ReferenceParameter,
  RuntimeServices,
  TemplateEntry,
  TypeParameter,
  ValueParameter,
} from './catalogue';
export { ObjectCatalogue } from './catalogue';
export { TemplateArguments } from './template-arguments';
export { DereferenceError, EndpointError, ReferenceCheckError, formatPosition } from './errors';
export type { ReferenceProblem } from './errors';
export { FOLDER_ENDPOINT, FolderMissingError, FolderTimeoutError, requestItem, serveFolder } from './folder';
export type { FolderLookup } from './folder';
export { Runtime, DEFAULT_RESOLVE_TIMEOUT_MS, MAX_EXTERNAL_DEPTH } from './runtime';
export type { DereferenceRequest, RuntimeOptions } from './runtime';
export { analyseReference, checkDocument, describeParameter, typeOfReference } from './static-check';
export type { CheckReport, StaticMeaning } from './static-check';
export type { TypeResolver } from './type-checks';
export { createTypeEnvironment, builtinTypes } from './type-checks';
