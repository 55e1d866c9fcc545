// The one zod set-up behind every bridge schema. `zod/mini` rather than `zod`: its functions
// tree-shake, so the schemas cost the renderer bundle about 8 KB gzipped instead of about 28 KB.
// Jitless, because zod's JIT compiles parsers with `new Function`: the renderer's CSP forbids
// eval (and reports even zod's guarded probe as a violation), and the main process needs none.
import * as z from 'zod/mini';

z.config({ jitless: true });

export { z };

/**
 * What a schema accepts, deeply readonly: values crossing the bridge are never mutated, and
 * the host hands its models' readonly views to the schemas' types. Bytes stay Uint8Array.
 */
export type Infer<S extends z.ZodMiniType> = DeepReadonly<z.output<S>>;

type DeepReadonly<T> = T extends Uint8Array
  ? T
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
