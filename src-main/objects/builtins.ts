// The catalogue of v1 built-in object ids (liveobject-format.md, "Built-in object ids").
// Every id has its type and parameter declarations so files using it type-check; ids whose
// implementation has not landed yet fail at dereference with "not available in this build".
// Later work registers implementations with `catalogue.register(entry, { replace: true })`.
import {
  ADDRESS,
  BYTES,
  COORDINATE_STREAM,
  DOUBLE,
  INT,
  NAME,
  STRING,
  TEXTURE,
  UI,
  UI3D,
  channelType,
  checkpointedChannelType,
  folderType,
} from '../../src-shared/model/catalogue';
import { constraints, objectType } from '../../src-shared/model/build';
import { defaultFormalismRegistry } from '../../src-shared/model/formalisms';
import type { ObjectType } from '../../src-shared/model/types';
import type { CatalogueEntry, ParameterDecl, TemplateEntry } from '../runtime/catalogue';
import { ObjectCatalogue } from '../runtime/catalogue';
import { libraryEntry } from './library';
import type { RegistryOptions } from './registry';
import { registryEntry } from './registry';
import type { CheckpointedEntryOptions, QsmService } from './qsm';
import { checkpointedEntry, defaultQsmService, qsmChannelEntry, qsmPlatformEntry } from './qsm';
import type { ReplicatedModel } from './models';
import type { UiAdapter, UiObjectOptions } from './ui';
import { desktopAdapter, imageAdapter, noteAdapter, uiTemplateEntry } from './ui';
import { airplaneAdapter, buildingAdapter, mapAdapter, space3dAdapter, streamTemplateEntry } from './ui3d';

/** An object type with the endpoints and constraints of all `types` (e.g. UI and Texture). */
export function combineObjectTypes(name: string, ...types: ObjectType[]): ObjectType {
  return objectType({
    name,
    endpoints: types.flatMap((t) => [...t.endpoints]),
    provides: new Map(types.flatMap((t) => [...t.provides])),
    requires: new Map(types.flatMap((t) => [...t.requires])),
  });
}

const CHANNEL_BYTES = channelType(BYTES);
const CHECKPOINTED = checkpointedChannelType(BYTES, BYTES);

/** qsm.channel's type: Channel<Bytes> that provides reliable, FIFO per sender delivery. */
export const QSM_CHANNEL_TYPE: ObjectType = {
  ...CHANNEL_BYTES,
  endpoints: new Map(
    [...CHANNEL_BYTES.endpoints].map(([n, ep]) => [
      n,
      {
        ...ep,
        provides: constraints(
          defaultFormalismRegistry.parseConstraint('liveobjects.guarantees', 'reliable fifo', {
            where: 'qsm.channel endpoint channel',
          }),
        ),
      },
    ]),
  ),
};

const channelParam = (type: ObjectType, description: string): ParameterDecl => ({
  name: 'channel',
  kind: 'reference',
  type,
  required: true,
  description,
});

const GMS_PARAM: ParameterDecl = {
  name: 'gms',
  kind: 'value',
  type: ADDRESS,
  required: true,
  description: 'address of the membership service (GMS)',
};

const uiTemplate = (id: string, type: ObjectType, description: string): CatalogueEntry => ({
  kind: 'template',
  id,
  params: [channelParam(CHECKPOINTED, 'the checkpointed channel carrying the shared state')],
  type,
  description,
});

/** Declarations of the built-ins whose implementations come with the channel objects. */
function plannedEntries(): CatalogueEntry[] {
  return [
    {
      kind: 'template',
      id: 'qsm.platform',
      params: [GMS_PARAM],
      type: folderType(NAME, CHANNEL_BYTES),
      description: 'the QuickSilver platform: a folder mapping any group name to that group’s channel',
    },
    {
      kind: 'template',
      id: 'qsm.channel',
      params: [
        GMS_PARAM,
        {
          name: 'group',
          kind: 'value',
          type: STRING,
          required: true,
          description: 'the multicast group name',
        },
        {
          name: 'key',
          kind: 'value',
          type: BYTES,
          required: false,
          description: 'group key; keyed groups authenticate every packet',
        },
      ],
      type: QSM_CHANNEL_TYPE,
      description: 'a QSM multicast channel (reliable, FIFO per sender)',
    },
    {
      kind: 'template',
      id: 'liveobjects.checkpointed',
      params: [channelParam(CHANNEL_BYTES, 'the underlying channel')],
      type: CHECKPOINTED,
      description: 'a checkpointed channel over a channel: late joiners start from a checkpoint',
    },
    uiTemplate('liveobjects.desktop', UI, 'a shared 2D desktop holding other objects'),
    uiTemplate('liveobjects.note', UI, 'a shared text note'),
    uiTemplate(
      'liveobjects.image',
      combineObjectTypes('UI + Texture', UI, TEXTURE),
      'a shared image, usable as a texture',
    ),
    // A 2D window (UI, so a desktop accepts it) whose scene holds objects with a 3D UI.
    uiTemplate('liveobjects.space3d', UI, 'a shared 3D space (its UI shows objects with a UI3D endpoint)'),
    uiTemplate('liveobjects.airplane', UI3D, 'a 3D airplane (accepts textures and coordinate streams)'),
    uiTemplate('liveobjects.building', UI3D, 'a 3D building'),
    uiTemplate('liveobjects.map', UI3D, 'a 3D map'),
    {
      kind: 'template',
      id: 'liveobjects.coordinates',
      params: [channelParam(CHANNEL_BYTES, 'the channel carrying positions')],
      type: COORDINATE_STREAM,
      description: 'a stream of 3D coordinates carried by a channel',
    },
    {
      kind: 'template',
      id: 'liveobjects.flights',
      params: [
        channelParam(CHANNEL_BYTES, 'the channel carrying positions'),
        { name: 'count', kind: 'value', type: INT, required: false, description: 'aircraft (default 12)' },
        {
          name: 'seed',
          kind: 'value',
          type: INT,
          required: false,
          description: 'the flight plans’ seed (default: derived from the group name)',
        },
        {
          name: 'rateHz',
          kind: 'value',
          type: DOUBLE,
          required: false,
          description: 'samples per second and aircraft (default 20)',
        },
      ],
      type: COORDINATE_STREAM,
      description:
        'simulated air traffic as a coordinate stream: one member (the lowest id) publishes, the others take over when it leaves',
    },
  ];
}

export interface BuiltinCatalogueOptions {
  readonly registry?: RegistryOptions;
  /** The engine nodes of this host; default: one service for the whole process. */
  readonly qsm?: QsmService;
  /** Persistence and error reporting of the UI objects (the host passes its own). */
  readonly ui?: UiObjectOptions;
  readonly checkpointed?: CheckpointedEntryOptions;
}

type Implementation = (base: TemplateEntry, options: BuiltinCatalogueOptions) => TemplateEntry;

function uiObject<M extends ReplicatedModel<unknown>>(adapter: UiAdapter<M>): Implementation {
  return (base, options) => uiTemplateEntry(base, adapter, options.ui);
}

/** The implementations of the planned templates, by id. */
const IMPLEMENTATIONS = new Map<string, Implementation>([
  ['qsm.platform', (base) => qsmPlatformEntry(base)],
  ['qsm.channel', (base, options) => qsmChannelEntry(() => options.qsm ?? defaultQsmService(), base)],
  ['liveobjects.checkpointed', (base, options) => checkpointedEntry(base, options.checkpointed)],
  ['liveobjects.desktop', uiObject(desktopAdapter)],
  ['liveobjects.note', uiObject(noteAdapter)],
  ['liveobjects.image', uiObject(imageAdapter)],
  ['liveobjects.space3d', uiObject(space3dAdapter)],
  ['liveobjects.airplane', uiObject(airplaneAdapter)],
  ['liveobjects.building', uiObject(buildingAdapter)],
  ['liveobjects.map', uiObject(mapAdapter)],
  ['liveobjects.coordinates', (base) => streamTemplateEntry(base, 'coordinates')],
  ['liveobjects.flights', (base) => streamTemplateEntry(base, 'flights')],
]);

/** Implementations of planned entries, keeping each declaration's parameters and type. */
function implement(entry: CatalogueEntry, options: BuiltinCatalogueOptions): CatalogueEntry {
  if (entry.kind !== 'template') return entry;
  return IMPLEMENTATIONS.get(entry.id)?.(entry, options) ?? entry;
}

/**
 * A fresh catalogue of the v1 built-ins, all implemented: registry, library, the qsm channel
 * objects, the checkpointed channel, the desktop, note and image UI objects, the 3D objects
 * (space3d, airplane, building, map) and the coordinate streams (coordinates, flights).
 */
export function builtinCatalogue(options: BuiltinCatalogueOptions = {}): ObjectCatalogue {
  return new ObjectCatalogue([
    registryEntry(options.registry),
    libraryEntry(),
    ...plannedEntries().map((e) => implement(e, options)),
  ]);
}
