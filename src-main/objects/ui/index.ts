// The UI objects: desktop, note and image templates over a checkpointed channel (the 3D ones
// reuse the same machinery from ../ui3d).
export { uiTemplateEntry, uiObjectInfo } from './ui-object';
export type { UiAdapter, UiContext, UiEndpointName, UiObjectInfo, UiObjectOptions } from './ui-object';
export { desktopAdapter, desktopViewState } from './desktop';
export { noteAdapter } from './note';
export { imageAdapter, imageViewState } from './image';
export { check2dUi, check3dUi, checkAirplaneDrop, checkOpenable, refusalText } from './drop';
export type { AirplaneDropCheck, DropCheck, OpenCheck, ViewEndpoint } from './drop';
export { VIEW_KIND_BY_TEMPLATE, primitiveIdOf, viewKindOf } from './view-kinds';
export { stateKey } from './state-store';
export type { StateStore, StoredMeta } from './state-store';
export { decodeAct, decodeShow, encodeAct, encodeShow } from './wire';
export type { ShowMessage, StreamMessage } from './wire';
