// The messages between a host and the process that runs one library's code (sandbox.ts on the
// host side, sandbox-runner.ts in the process). Values travel by structured clone (Node's
// `advanced` IPC serialization), so Uint8Array and references arrive as they were sent.
import type { ParamValue } from '../../../src-shared/format/document';
import type { LibraryObjectType, LibraryEndpointType, LibraryParameter } from '../library-api';

/** What a library defines, as data: everything except the code. */
export interface LibraryManifest {
  readonly types: Readonly<Record<string, LibraryEndpointType | LibraryObjectType>>;
  readonly objects: Readonly<Record<string, { readonly type: string; readonly description?: string }>>;
  readonly templates: Readonly<
    Record<
      string,
      {
        readonly type: string;
        readonly description?: string;
        readonly params?: Readonly<Record<string, LibraryParameter>>;
      }
    >
  >;
}

export type HostMessage =
  | { readonly t: 'load'; readonly id: number; readonly url: string; readonly code: Uint8Array }
  | {
      readonly t: 'create';
      readonly id: number;
      readonly instance: number;
      readonly kind: 'object' | 'template';
      readonly name: string;
      /** The endpoint names of the instance's type. */
      readonly endpoints: readonly string[];
      readonly args?: readonly (readonly [string, ParamValue])[];
    }
  | { readonly t: 'connect' | 'disconnect'; readonly instance: number; readonly endpoint: string }
  | {
      readonly t: 'event';
      readonly instance: number;
      readonly endpoint: string;
      readonly event: string;
      readonly args: readonly unknown[];
    }
  | { readonly t: 'dispose'; readonly instance: number };

export type SandboxMessage =
  | { readonly t: 'loaded'; readonly id: number; readonly manifest: LibraryManifest }
  | { readonly t: 'created'; readonly id: number }
  | { readonly t: 'failed'; readonly id: number; readonly message: string }
  | {
      readonly t: 'send';
      readonly instance: number;
      readonly endpoint: string;
      readonly event: string;
      readonly args: readonly unknown[];
    }
  /** Library code threw outside a request (in a handler or a timer). */
  | { readonly t: 'error'; readonly instance?: number; readonly message: string };
