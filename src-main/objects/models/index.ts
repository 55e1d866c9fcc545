// The replicated logic of the built-in UI objects (docs/objects.md).
export type { CheckpointedClient, ModelErrorCode, ModelStats, ReplicatedModel, Send } from './model';
export { ModelError } from './model';
export { MessageKind, FORMAT_VERSION } from './kinds';
export type { Stamp } from './lamport';
export { DESKTOP_TYPE, DesktopModel } from './desktop-model';
export type { DesktopItem, DesktopModelOptions, DesktopView, PlaceRequest } from './desktop-model';
export { DESKTOP_LIMITS } from './desktop-codec';
export { NOTE_LIMITS, NOTE_TYPE, NoteModel } from './note-model';
export type { NoteModelOptions, NotePeer, NoteView } from './note-model';
export { IMAGE_TYPE, ImageModel } from './image-model';
export type { ImageModelOptions, ImageUploadProgress, ImageView } from './image-model';
export { IMAGE_LIMITS } from './image-codec';
export type { ImageInfo, ImageMime } from './image-format';
export { sniffImage } from './image-format';
