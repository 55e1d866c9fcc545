// Isomorphic spatial math for 3D live objects (docs/spatial.md).
export * from './vec';
export * from './sample';
export * from './sample-codec';
export * from './interpolator';
export * from './geodata';
export * from './flight-generator';
export * from './placement';
