// The 3D live objects as runtime objects: space3d (UI), airplane, building, map (UI3D) over
// the checkpointed channel, and the coordinate streams (coordinates, flights) over a plain one.
export { space3dAdapter, space3dViewState } from './space3d';
export { airplaneAdapter } from './airplane';
export { buildingAdapter } from './building';
export { mapAdapter } from './map';
export { FLIGHTS_DEFAULTS, FLIGHTS_LIMITS, streamObjectInfo, streamTemplateEntry } from './stream-object';
export type { FlightsParams, StreamKind, StreamObjectInfo } from './stream-object';
export { SampleBatcher, forwardSamples } from './sample-batcher';
export type { SampleBatcherOptions } from './sample-batcher';
export { viewProxyFor } from './view-proxy';
