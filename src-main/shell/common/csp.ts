// The renderer's Content-Security-Policy, sent as a header by both shells (the renderer's own
// <meta> policy still applies on top: a browser enforces every policy it is given).

export interface CspOptions {
  /** Extra connect-src sources, e.g. the web shell's WebSocket origins. */
  readonly connect?: readonly string[];
  /** Extra script-src sources; only the Electron dev server needs any. */
  readonly script?: readonly string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...(options.script ?? [])]],
    ['connect-src', ["'self'", ...(options.connect ?? [])]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['media-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['worker-src', ["'self'", 'blob:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
