// Public API of the .liveobject format module (liveobject-format.md).
export type * from './document';
export { FormatError } from './errors';
export type { FormatErrorInit } from './errors';
export { parseLiveObject } from './parse';
export { decodeLiveObject } from './bytes';
export type { ParseOptions } from './parse';
export {
  FILE_EXTENSION,
  FORMAT_VERSION,
  MAX_DEPTH,
  MAX_FILE_BYTES,
  MEDIA_TYPE,
  NAMESPACE,
} from './constants';
export { writeLiveObject, writeReference } from './write';
export { referencesEqual, documentsEqual } from './equal';
export {
  parseValue,
  formatValue,
  parseAddress,
  formatAddress,
  encodeBase64,
  decodeBase64,
  VALUE_KINDS,
} from './values';
export type { ValueParse, ValueSyntaxError } from './values';
