// The live objects type system: shapes, relations (⊑, ∝), formalisms, built-in catalogue and
// the environment that resolves type expressions.
export * from './types';
export { parseTypeExpr, formatTypeExpr, typeExpr, TypeExprSyntaxError } from './type-expr';
export type { TypeExpr } from './type-expr';
export * from './formalisms/index';
export {
  PRIMITIVE_VALUE_TYPE_NAMES,
  primitive,
  reference,
  event,
  constraints,
  NO_CONSTRAINTS,
  endpointType,
  objectType,
  isTopObjectType,
  dualEndpointType,
} from './build';
export type { EndpointTypeSpec, ObjectTypeSpec } from './build';
export {
  formatValueType,
  formatEventType,
  formatConstraint,
  formatObjectTypeName,
  describeEndpointType,
  describeObjectType,
} from './describe';
export type { CheckLabels } from './labels';
export {
  isValueSubtype,
  isEventSetSubtype,
  constraintsImply,
  isEndpointSubtype,
  isObjectSubtype,
  eventMismatch,
  eventSetFaults,
  constraintFaults,
} from './subtyping';
export type { EventFault, ConstraintFault } from './subtyping';
export { matchEndpoints } from './matching';
export {
  BUILTIN_TYPES,
  builtinSignature,
  describeBuiltin,
  instantiateBuiltin,
  formatResolvedType,
  STRING,
  INT,
  DOUBLE,
  BOOL,
  BYTES,
  ADDRESS,
  NAME,
  OBJECT,
  MEMBERSHIP,
  UI,
  UI3D,
  COORDINATE_STREAM,
  TEXTURE,
  channelType,
  checkpointedChannelType,
  folderType,
} from './catalogue';
export type {
  ResolvedType,
  TypeKind,
  TypeParam,
  Slot,
  EventTemplate,
  EndpointTemplate,
  BuiltinTypeDef,
  BuiltinObjectTypeDef,
  BuiltinValueTypeDef,
} from './catalogue';
export { TypeResolutionError } from './errors';
export type { Site } from './errors';
export { TypeEnvironment } from './environment';
export type { TypeEntry } from './environment';
