// The proxy of a composite reference: component proxies on this node, internal connections
// between them, and exported endpoints. Everything shares the composite's lifetime.
import type { ObjectType } from '../../src-shared/model/types';
import type { Connection, ExternalEndpoint } from './endpoint';
import type { Proxy } from './proxy';
import { ProxyBase, unknownEndpoint } from './proxy';

export class CompositeProxy extends ProxyBase {
  private readonly exported: ReadonlyMap<string, ExternalEndpoint>;

  constructor(
    type: ObjectType,
    readonly components: ReadonlyMap<string, Proxy>,
    readonly connections: readonly Connection[],
    exported: ReadonlyMap<string, ExternalEndpoint>,
    label = 'composite',
  ) {
    super(label, type);
    this.exported = exported;
    // Connections go first, then components in reverse order of creation.
    for (const proxy of components.values()) this.own(proxy);
    for (const connection of connections) this.own(connection);
  }

  get endpointNames(): readonly string[] {
    return [...this.exported.keys()];
  }

  endpoint(name: string): ExternalEndpoint {
    const e = this.exported.get(name);
    if (!e) throw unknownEndpoint(this.label, name, this.endpointNames);
    return e;
  }

  protected disposeEndpoints(): void {
    // Exported endpoints belong to components, which are disposed with the composite.
  }
}
