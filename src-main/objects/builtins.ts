// The catalogue of v1 built-in object ids (liveobject-format.md, "Built-in object ids"):
// each id's type and parameter declarations (so files using it type-check) wrapped in its
// implementation.
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
import type { ParameterDecl, TemplateEntry } from '../runtime/catalogue';
import { ObjectCatalogue } from '../runtime/catalogue';
import type { LibraryOptions } from './library';
import { libraryEntry } from './library';
import type { RegistryOptions } from './registry';
import { registryEntry } from './registry';
import { ObjectInstances } from './instances';
import type { CheckpointedEntryOptions } from './qsm';
import type { SealedEntryOptions } from './sealed';
import { SEALED_ID, sealedEntry } from './sealed';
import { QsmService, checkpointedEntry, qsmChannelEntry, qsmPlatformEntry } from './qsm';
import type { NatsChannelOptions } from './nats';
import { NatsService, natsChannelEntry, natsPlatformEntry } from './nats';
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

/** Channel<Bytes> whose endpoint provides the `liveobjects.guarantees` in `guarantees`. */
function channelBytesProviding(guarantees: string, where: string): ObjectType {
  return {
    ...CHANNEL_BYTES,
    endpoints: new Map(
      [...CHANNEL_BYTES.endpoints].map(([n, ep]) => [
        n,
        {
          ...ep,
          provides: constraints(
            defaultFormalismRegistry.parseConstraint('liveobjects.guarantees', guarantees, {
              where: `${where} endpoint ${n}`,
            }),
          ),
        },
      ]),
    ),
  };
}

/**
 * nats.channel's type: Channel<Bytes> that provides reliable, FIFO per sender delivery, at most
 * once (with reliable: exactly once). Its history (a late member reads what the group's stream
 * retains) has no guarantee word.
 */
export const NATS_CHANNEL_TYPE: ObjectType = channelBytesProviding(
  'reliable fifo at-most-once',
  'nats.channel',
);

/** qsm.channel's type: Channel<Bytes> that provides reliable, FIFO per sender delivery. */
export const QSM_CHANNEL_TYPE: ObjectType = channelBytesProviding('reliable fifo', 'qsm.channel');

/**
 * liveobjects.sealed's type: Channel<Bytes> that provides authenticated, encrypted delivery
 * (the delivery guarantees are those of the channel it wraps).
 */
export const SEALED_CHANNEL_TYPE: ObjectType = channelBytesProviding('authenticated encrypted', SEALED_ID);

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

export interface BuiltinCatalogueOptions {
  readonly registry?: RegistryOptions;
  /**
   * The engine nodes of this host; default: a service of this catalogue's own, started on
   * first use and never closed. Catalogues given one service share its nodes, so they must
   * share `instances` too (a node runs one replica per group).
   */
  readonly qsm?: QsmService;
  /** The object instances of this host; default: a registry of this catalogue's own. */
  readonly instances?: ObjectInstances;
  /** Persistence and error reporting of the UI objects (the host passes its own). */
  readonly ui?: UiObjectOptions;
  readonly checkpointed?: CheckpointedEntryOptions;
  /** Consent and process of code libraries; default: every library is refused. */
  readonly library?: LibraryOptions;
  readonly sealed?: SealedEntryOptions;
  /** The NATS connections of this host; default: a service of this catalogue's own. */
  readonly nats?: NatsService;
  /** Presence timings of NATS channels (tests shorten them). */
  readonly natsChannel?: Omit<NatsChannelOptions, 'history'>;
}

const NATS_PARAMS: readonly ParameterDecl[] = [
  {
    name: 'servers',
    kind: 'value',
    type: STRING,
    required: true,
    description: 'one or more NATS server URLs (nats://host:port), comma-separated',
  },
  {
    name: 'credentials',
    kind: 'value',
    type: STRING,
    required: false,
    description: 'path of a NATS .creds file, where the servers require one',
  },
  {
    name: 'historyDays',
    kind: 'value',
    type: DOUBLE,
    required: false,
    description:
      'days a group’s history keeps a message (default 30; set when the group’s stream is created)',
  },
  {
    name: 'historyMegabytes',
    kind: 'value',
    type: INT,
    required: false,
    description: 'megabytes of history kept per group, oldest dropped first (default 256)',
  },
  {
    name: 'replicas',
    kind: 'value',
    type: INT,
    required: false,
    description: 'copies of each group’s history on a JetStream cluster (default 1; 3 on a 3-server cluster)',
  },
];

/** The templates: the channel objects, the UI objects and the coordinate streams. */
function templateEntries(options: BuiltinCatalogueOptions): TemplateEntry[] {
  const instances = options.instances ?? new ObjectInstances();
  let qsm = options.qsm;
  let nats = options.nats;
  const uiTemplate = <M extends ReplicatedModel<unknown>>(
    id: string,
    type: ObjectType,
    description: string,
    adapter: UiAdapter<M>,
  ): TemplateEntry =>
    uiTemplateEntry(
      {
        kind: 'template',
        id,
        params: [channelParam(CHECKPOINTED, 'the checkpointed channel carrying the shared state')],
        type,
        description,
      },
      adapter,
      instances,
      options.ui,
    );
  return [
    qsmPlatformEntry({
      kind: 'template',
      id: 'qsm.platform',
      params: [
        GMS_PARAM,
        {
          name: 'interface',
          kind: 'value',
          type: STRING,
          required: false,
          description:
            'the network interface (name or IPv4 address) a host uses for this platform; read by the host from its registry',
        },
      ],
      type: folderType(NAME, CHANNEL_BYTES),
      description: 'the QuickSilver platform: a folder mapping any group name to that group’s channel',
    }),
    qsmChannelEntry(() => (qsm ??= new QsmService()), {
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
          description:
            'group key; keyed groups encrypt and authenticate every message (as liveobjects.sealed)',
        },
      ],
      type: QSM_CHANNEL_TYPE,
      description: 'a QSM multicast channel (reliable, FIFO per sender)',
    }),
    natsPlatformEntry({
      kind: 'template',
      id: 'nats.platform',
      params: NATS_PARAMS,
      type: folderType(NAME, CHANNEL_BYTES),
      description:
        'the NATS platform: a folder mapping any group name to that group’s channel on the NATS servers',
    }),
    natsChannelEntry(
      () => (nats ??= new NatsService()),
      {
        kind: 'template',
        id: 'nats.channel',
        params: [
          ...NATS_PARAMS,
          { name: 'group', kind: 'value', type: STRING, required: true, description: 'the group name' },
        ],
        type: NATS_CHANNEL_TYPE,
        description:
          'a channel over NATS JetStream (reliable, FIFO per sender, exactly once, with history for late members)',
      },
      options.natsChannel,
    ),
    sealedEntry(
      {
        kind: 'template',
        id: SEALED_ID,
        params: [
          channelParam(CHANNEL_BYTES, 'the channel carrying the sealed messages'),
          {
            name: 'key',
            kind: 'value',
            type: BYTES,
            required: true,
            description: 'the object key (32 random bytes): whoever holds it may read and send',
          },
        ],
        type: SEALED_CHANNEL_TYPE,
        description:
          'a private channel over a channel: every message encrypted and authenticated (AES-256-GCM) under the key',
      },
      options.sealed,
    ),
    checkpointedEntry(
      {
        kind: 'template',
        id: 'liveobjects.checkpointed',
        params: [channelParam(CHANNEL_BYTES, 'the underlying channel')],
        type: CHECKPOINTED,
        description: 'a checkpointed channel over a channel: late joiners start from a checkpoint',
      },
      options.checkpointed,
    ),
    uiTemplate('liveobjects.desktop', UI, 'a shared 2D desktop holding other objects', desktopAdapter),
    uiTemplate('liveobjects.note', UI, 'a shared text note', noteAdapter),
    uiTemplate(
      'liveobjects.image',
      combineObjectTypes('UI + Texture', UI, TEXTURE),
      'a shared image, usable as a texture',
      imageAdapter,
    ),
    // A 2D window (UI, so a desktop accepts it) whose scene holds objects with a 3D UI.
    uiTemplate(
      'liveobjects.space3d',
      UI,
      'a shared 3D space (its UI shows objects with a UI3D endpoint)',
      space3dAdapter,
    ),
    uiTemplate(
      'liveobjects.airplane',
      UI3D,
      'a 3D airplane (accepts textures and coordinate streams)',
      airplaneAdapter,
    ),
    uiTemplate('liveobjects.building', UI3D, 'a 3D building', buildingAdapter),
    uiTemplate('liveobjects.map', UI3D, 'a 3D map', mapAdapter),
    streamTemplateEntry(
      {
        kind: 'template',
        id: 'liveobjects.coordinates',
        params: [channelParam(CHANNEL_BYTES, 'the channel carrying positions')],
        type: COORDINATE_STREAM,
        description: 'a stream of 3D coordinates carried by a channel',
      },
      'coordinates',
      instances,
    ),
    streamTemplateEntry(
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
      'flights',
      instances,
    ),
  ];
}

/**
 * A fresh catalogue of the v1 built-ins, all implemented: registry, library, the qsm channel
 * objects, the NATS channel objects, the sealed channel, the checkpointed channel, the desktop, note and image UI objects, the 3D objects
 * (space3d, airplane, building, map) and the coordinate streams (coordinates, flights).
 */
export function builtinCatalogue(options: BuiltinCatalogueOptions = {}): ObjectCatalogue {
  return new ObjectCatalogue([
    registryEntry(options.registry),
    libraryEntry(options.library),
    ...templateEntries(options),
  ]);
}
