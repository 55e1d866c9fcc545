// Fixed values of format version 1 (liveobject-format.md "Envelope").
export const NAMESPACE = 'urn:liveobjects:1';
export const FORMAT_VERSION = '1';
/** Largest accepted file, in bytes of UTF-8. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Deepest accepted element nesting; the root is at depth 1. */
export const MAX_DEPTH = 64;
export const MEDIA_TYPE = 'application/x-liveobject';
export const FILE_EXTENSION = '.liveobject';
