// The folder protocol (live-objects-model.md, "External"): a folder endpoint takes
// `get(name)` and answers `item(name, reference)` or `missing(name)`. Helpers for both sides.
import type { Reference } from '../../src-shared/format/document';
import { dualEndpointType, objectType } from '../../src-shared/model/build';
import type { Portal } from './endpoint';
import { DereferenceError } from './errors';
import { isReference } from './event-values';
import type { Proxy } from './proxy';
import { LocalProxy } from './proxy';

export const FOLDER_ENDPOINT = 'folder';

export type FolderLookup = (name: string) => Reference | undefined | Promise<Reference | undefined>;

/** Answers `get` on a folder portal with `lookup`; a throwing lookup answers `missing`. */
export function serveFolder(portal: Portal, lookup: FolderLookup): void {
  portal.on('get', (name) => {
    const n = String(name);
    Promise.resolve()
      .then(() => lookup(n))
      .then(
        (ref) => reply(portal, n, ref),
        () => reply(portal, n, undefined),
      );
  });
}

function reply(portal: Portal, name: string, ref: Reference | undefined): void {
  if (!portal.connected) return; // the client went away while we looked
  if (ref) portal.send('item', name, ref);
  else portal.send('missing', name);
}

export class FolderMissingError extends DereferenceError {}
export class FolderTimeoutError extends DereferenceError {}

export interface RequestOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly checkEvents?: boolean;
}

/**
 * Asks `folder` (a proxy with a `folder` endpoint) for `name`: connects a private client
 * endpoint (the dual of the folder's), sends get(name) and waits for the matching reply.
 * The client is disposed afterwards; the folder proxy is left to the caller.
 */
export async function requestItem(folder: Proxy, name: string, options: RequestOptions): Promise<Reference> {
  const endpoint = folder.endpoint(FOLDER_ENDPOINT);
  const client = new LocalProxy(
    `folder client for '${name}'`,
    objectType({ name: '', endpoints: [[FOLDER_ENDPOINT, dualEndpointType(endpoint.type)]] }),
    options.checkEvents === undefined ? {} : { checkEvents: options.checkEvents },
  );
  try {
    const portal = client.portal(FOLDER_ENDPOINT);
    const answer = new Promise<Reference>((resolve, reject) => {
      portal.on('item', (n, ref) => {
        if (n !== name) return;
        if (isReference(ref)) resolve(ref);
        else
          reject(
            new DereferenceError(
              `${folder.label} answered item('${name}') with something that is not a reference`,
            ),
          );
      });
      portal.on('missing', (n) => {
        if (n === name)
          reject(new FolderMissingError(`${folder.label} has no item named '${name}' (it replied missing)`));
      });
      portal.onDisconnect(() =>
        reject(new DereferenceError(`${folder.label} disconnected before answering get('${name}')`)),
      );
    });
    client.own(endpoint.connect(client.endpoint(FOLDER_ENDPOINT)));
    portal.send('get', name);
    return await withDeadline(
      answer,
      options,
      () => `${folder.label} did not answer get('${name}') within ${options.timeoutMs} ms`,
    );
  } finally {
    client.dispose();
  }
}

function withDeadline<T>(p: Promise<T>, options: RequestOptions, message: () => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new DereferenceError('dereference aborted'));
      return;
    }
    const onAbort = (): void => {
      done();
      reject(signal?.reason instanceof Error ? signal.reason : new DereferenceError('dereference aborted'));
    };
    const timer = setTimeout(() => {
      done();
      reject(new FolderTimeoutError(message()));
    }, options.timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        done();
        resolve(v);
      },
      (e: unknown) => {
        done();
        reject(e);
      },
    );
  });
}
