// The replicated logic of the 3D live objects and coordinate streams (docs/spatial.md).
export { SPACE3D_LIMITS, SPACE3D_TYPE, Space3DModel } from './space3d-model';
export type { Place3DRequest, Space3DModelOptions, Space3DObject, Space3DView } from './space3d-model';
export { AIRPLANE_DEFAULTS, AIRPLANE_LIMITS, AIRPLANE_TYPE, AirplaneModel } from './airplane-model';
export type { AirplaneBinding, AirplaneView } from './airplane-model';
export { BUILDING_DEFAULTS, BUILDING_LIMITS, BUILDING_TYPE, BuildingModel } from './building-model';
export type { BuildingView } from './building-model';
export { MAP_LIMITS, MAP_TYPE, MapModel } from './map-model';
export type { AnnotationRequest, MapAnnotation, MapView } from './map-model';
export { COORDINATES_TYPE, CoordinateStreamPublisher, CoordinateStreamSubscriber } from './coordinate-stream';
export type {
  PublisherOptions,
  PublisherStats,
  SampleSource,
  Scheduler,
  SubscriberOptions,
  SubscriberStats,
  TrackKey,
  TrackPose,
} from './coordinate-stream';
export { FlightGenerator } from '../../../src-shared/spatial/flight-generator';
export type { FlightPlan, FlightPattern } from '../../../src-shared/spatial/flight-generator';
