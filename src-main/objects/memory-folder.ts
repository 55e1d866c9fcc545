// An in-memory folder (Folder<Name, Object>) for tests and embedding: items set in code,
// optional reply delay, and a mode that never replies (to exercise resolution timeouts).
import type { Reference } from '../../src-shared/format/document';
import type { ObjectType } from '../../src-shared/model/types';
import { NAME, OBJECT, folderType } from '../../src-shared/model/catalogue';
import type { ObjectEntry } from '../runtime/catalogue';
import type { EndpointOptions } from '../runtime/endpoint';
import { FOLDER_ENDPOINT, serveFolder } from '../runtime/folder';
import { LocalProxy } from '../runtime/proxy';

export interface MemoryFolderOptions {
  readonly items?: Iterable<readonly [string, Reference]> | Readonly<Record<string, Reference>>;
  /** Delay before each reply, in ms. */
  readonly delayMs?: number;
  /** Never reply (timeouts). */
  readonly silent?: boolean;
  /** The folder's object type; default Folder<Name, Object>. */
  readonly type?: ObjectType;
}

export class MemoryFolder {
  readonly items: Map<string, Reference>;
  delayMs: number;
  silent: boolean;
  readonly type: ObjectType;
  /** Every name asked for, in order. */
  readonly requests: string[] = [];

  constructor(options: MemoryFolderOptions = {}) {
    const items = options.items ?? [];
    this.items = new Map(Symbol.iterator in items ? items : Object.entries(items));
    this.delayMs = options.delayMs ?? 0;
    this.silent = options.silent ?? false;
    this.type = options.type ?? folderType(NAME, OBJECT);
  }

  set(name: string, reference: Reference): this {
    this.items.set(name, reference);
    return this;
  }

  /** A new proxy serving this folder's items. */
  createProxy(label = 'memory folder', options: EndpointOptions = {}): LocalProxy {
    const proxy = new LocalProxy(label, this.type, options);
    serveFolder(proxy.portal(FOLDER_ENDPOINT), async (name) => {
      this.requests.push(name);
      if (this.silent) return new Promise<never>(() => {});
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      return this.items.get(name);
    });
    return proxy;
  }

  /** A catalogue entry (built-in object) under `id` whose proxies serve this folder. */
  entry(id: string): ObjectEntry {
    return {
      kind: 'object',
      id,
      type: this.type,
      description: 'an in-memory folder (tests)',
      create: () => this.createProxy(id),
    };
  }
}
