// The program of a library's process (sandbox-launcher.ts starts it, sandbox.ts talks to it).
// It evaluates the module, answers with the definition as data (a manifest) and runs the
// objects' code: each instance gets portals whose `send` becomes a message to the host, and
// the host's events, connects and disconnects arrive as messages. `sandboxMain` is passed to
// the process as source text (Function#toString), so it must not use anything from outside
// its body: only what the process has itself (process, Buffer) and `load`, the process's own
// dynamic import (written by the launcher, where no bundler rewrites it).
import type { HostMessage, LibraryManifest, SandboxMessage } from './sandbox-protocol';

export function sandboxMain(load: (specifier: string) => Promise<unknown>): void {
  type Handler = (...args: unknown[]) => void;
  type Listeners = Set<Handler>;
  type Value = { readonly type: string; readonly value: unknown };
  type Param =
    | { readonly kind: 'value'; readonly value: Value }
    | { readonly kind: 'reference'; readonly reference: unknown }
    | { readonly kind: 'type'; readonly type: unknown };

  interface Port {
    connected: boolean;
    readonly handlers: Map<string, Listeners>;
    readonly onConnect: Listeners;
    readonly onDisconnect: Listeners;
  }
  interface Instance {
    readonly ports: Map<string, Port>;
    readonly onDispose: Listeners;
    disposed: boolean;
  }
  type Definition = Record<string, Record<string, Record<string, unknown>> | undefined>;

  const instances = new Map<number, Instance>();
  let definition: Definition | undefined;

  const post = (m: SandboxMessage): void => {
    process.send?.(m);
  };
  const text = (e: unknown): string => (e instanceof Error ? e.message : String(e));
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const listen = (set: Listeners, h: Handler) => {
    set.add(h);
    return { dispose: () => void set.delete(h) };
  };
  const run = (instance: number, handlers: Iterable<Handler>, args: readonly unknown[]): void => {
    for (const h of [...handlers]) {
      try {
        h(...args);
      } catch (e) {
        post({ t: 'error', instance, message: text(e) });
      }
    }
  };

  const check = (def: unknown): LibraryManifest => {
    const fail = (detail: string): never => {
      throw new Error(`${detail} (see docs/library-api.md)`);
    };
    if (!isRecord(def))
      return fail('the default export must be a library definition or a function returning one');
    for (const key of Object.keys(def)) {
      if (key === 'formalisms') fail("'formalisms' are not supported: library code runs in its own process");
      else if (!['types', 'objects', 'templates'].includes(key))
        fail(`unknown key '${key}' in the definition`);
    }
    for (const group of ['types', 'objects', 'templates']) {
      if (def[group] !== undefined && !isRecord(def[group])) fail(`'${group}' must be an object`);
    }
    const objects: Record<string, { type: string; description?: string }> = {};
    for (const [name, o] of Object.entries((def.objects ?? {}) as Record<string, unknown>)) {
      if (!isRecord(o) || typeof o.type !== 'string' || typeof o.create !== 'function')
        fail(`objects.${name} must be { type: string, create(ctx) }`);
      const { type, description } = o as { type: string; description?: unknown };
      objects[name] = { type, ...(typeof description === 'string' && { description }) };
    }
    const templates: Record<string, { type: string; description?: string; params?: never }> = {};
    for (const [name, t] of Object.entries((def.templates ?? {}) as Record<string, unknown>)) {
      if (!isRecord(t) || typeof t.type !== 'string' || typeof t.instantiate !== 'function')
        fail(`templates.${name} must be { type: string, params?, instantiate(ctx) }`);
      const { type, description, params } = t as { type: string; description?: unknown; params?: never };
      templates[name] = {
        type,
        ...(typeof description === 'string' && { description }),
        ...(params !== undefined && { params: structuredClone(params) }),
      };
    }
    // Data only: a function anywhere in `types` or `params` fails the clone.
    return { types: structuredClone((def.types ?? {}) as LibraryManifest['types']), objects, templates };
  };

  const argumentsOf = (entries: readonly (readonly [string, Param])[] | undefined) => {
    const values = new Map(entries ?? []);
    const value = (name: string, type: string, required: boolean): unknown => {
      const p = values.get(name);
      if (p === undefined) {
        if (required) throw new TypeError(`template parameter '${name}' is missing`);
        return undefined;
      }
      const accepted = type === 'double' && p.kind === 'value' && p.value.type === 'int';
      if (p.kind !== 'value' || (p.value.type !== type && !accepted))
        throw new TypeError(`template parameter '${name}' is not a ${type} value`);
      return p.value.value;
    };
    return {
      values,
      has: (name: string) => values.has(name),
      string: (name: string) => value(name, 'string', true),
      optionalString: (name: string) => value(name, 'string', false),
      int: (name: string) => value(name, 'int', true),
      double: (name: string) => value(name, 'double', true),
      bool: (name: string) => value(name, 'bool', true),
      bytes: (name: string) => value(name, 'bytes', true),
      optionalBytes: (name: string) => value(name, 'bytes', false),
      address: (name: string) => value(name, 'address', true),
      reference: (name: string) => {
        const p = values.get(name);
        if (p?.kind !== 'reference') throw new TypeError(`template parameter '${name}' is not a reference`);
        return p.reference;
      },
      type: (name: string) => {
        const p = values.get(name);
        if (p?.kind !== 'type') throw new TypeError(`template parameter '${name}' is not a type`);
        return p.type;
      },
    };
  };

  const proxyFor = (id: number, instance: Instance) => {
    const portal = (name: string) => {
      const port = instance.ports.get(name);
      if (!port)
        throw new Error(
          `no endpoint '${name}' (its endpoints: ${[...instance.ports.keys()].join(', ') || 'none'})`,
        );
      return {
        name,
        get connected() {
          return port.connected;
        },
        send(event: string, ...args: unknown[]) {
          if (!port.connected) throw new Error(`endpoint '${name}' cannot send '${event}': not connected`);
          post({ t: 'send', instance: id, endpoint: name, event, args });
        },
        on(event: string, handler: Handler) {
          let set = port.handlers.get(event);
          if (!set) port.handlers.set(event, (set = new Set()));
          return listen(set, handler);
        },
        onConnect: (handler: Handler) => listen(port.onConnect, handler),
        onDisconnect: (handler: Handler) => listen(port.onDisconnect, handler),
      };
    };
    return {
      label: `library object ${id}`,
      get disposed() {
        return instance.disposed;
      },
      endpointNames: [...instance.ports.keys()],
      portal,
      onDispose: (fn: Handler) => listen(instance.onDispose, fn),
      own: <T extends { dispose(): void }>(resource: T): T => {
        instance.onDispose.add(() => resource.dispose());
        return resource;
      },
    };
  };

  const create = async (m: Extract<HostMessage, { t: 'create' }>): Promise<void> => {
    const group = definition?.[m.kind === 'object' ? 'objects' : 'templates'];
    const entry = group?.[m.name];
    const code = entry?.[m.kind === 'object' ? 'create' : 'instantiate'];
    if (typeof code !== 'function') throw new Error(`the library has no ${m.kind} named '${m.name}'`);
    const instance: Instance = { ports: new Map(), onDispose: new Set(), disposed: false };
    for (const name of m.endpoints) {
      instance.ports.set(name, {
        connected: false,
        handlers: new Map(),
        onConnect: new Set(),
        onDisconnect: new Set(),
      });
    }
    instances.set(m.instance, instance);
    const proxy = proxyFor(m.instance, instance);
    const ctx = {
      proxy: () => proxy,
      runtime: {
        dereference: () => {
          throw new Error('library code runs in its own process and cannot dereference other objects');
        },
      },
      ...(m.kind === 'template' && { args: argumentsOf(m.args as readonly (readonly [string, Param])[]) }),
    };
    const made: unknown = await (code as (c: typeof ctx) => unknown).call(entry, ctx);
    if (made !== proxy)
      throw new Error(`${m.kind} '${m.name}' must return the proxy that ctx.proxy() gave it`);
  };

  const dispose = (id: number): void => {
    const instance = instances.get(id);
    if (!instance) return;
    instances.delete(id);
    instance.disposed = true;
    for (const port of instance.ports.values()) port.connected = false;
    run(id, [...instance.onDispose].reverse(), []);
  };

  const handle = async (m: HostMessage): Promise<void> => {
    switch (m.t) {
      case 'load': {
        const source = `data:text/javascript;base64,${Buffer.from(m.code).toString('base64')}`;
        const module = (await load(source)) as { default?: unknown };
        const exported = module.default;
        const api = Object.freeze({ version: 1, defineLibrary: (d: unknown) => d });
        const def = typeof exported === 'function' ? (exported as (a: typeof api) => unknown)(api) : exported;
        const manifest = check(def);
        definition = def as Definition;
        post({ t: 'loaded', id: m.id, manifest });
        return;
      }
      case 'create':
        await create(m);
        post({ t: 'created', id: m.id });
        return;
      case 'connect':
      case 'disconnect': {
        const port = instances.get(m.instance)?.ports.get(m.endpoint);
        if (!port) return;
        port.connected = m.t === 'connect';
        run(m.instance, m.t === 'connect' ? port.onConnect : port.onDisconnect, []);
        return;
      }
      case 'event': {
        const port = instances.get(m.instance)?.ports.get(m.endpoint);
        const handlers = port?.handlers.get(m.event);
        if (handlers) run(m.instance, handlers, m.args);
        return;
      }
      case 'dispose':
        dispose(m.instance);
        return;
    }
  };

  process.on('message', (m: HostMessage) => {
    handle(m).catch((e: unknown) => {
      if (m.t === 'load' || m.t === 'create') {
        if (m.t === 'create') dispose(m.instance);
        post({ t: 'failed', id: m.id, message: text(e) });
      } else post({ t: 'error', message: text(e) });
    });
  });
  process.on('uncaughtException', (e) => post({ t: 'error', message: text(e) }));
  process.on('unhandledRejection', (e) => post({ t: 'error', message: text(e) }));
  // The host went away: nothing is left to serve.
  process.on('disconnect', () => process.exit(0));
}
