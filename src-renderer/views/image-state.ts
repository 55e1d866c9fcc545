// Reads an image's view state defensively. Assumed shape (docs/renderer.md):
// { mime, data /* base64 */, version } or empty; `src`/`url`/`dataUrl` (a data: or blob:
// URL) are accepted instead of `data`; `uploads` (progress of newer versions) when present.

export interface ImageUpload {
  readonly received: number;
  readonly count: number;
}

export interface ImageViewState {
  /** What <img src> gets; undefined while there is no image. */
  readonly src?: string;
  readonly version?: string;
  readonly width?: number;
  readonly height?: number;
  readonly uploads: readonly ImageUpload[];
}

/** Shared images are limited to 8 MiB by the image object (IMAGE_LIMITS on the host). */
export const IMAGE_MAX_BYTES = 8 * 1024 * 1024;
export const IMAGE_MIMES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp'];

export function parseImageState(state: unknown): ImageViewState {
  if (!state || typeof state !== 'object') return { uploads: [] };
  const r = state as Record<string, unknown>;
  const src = imageSource(r);
  const version =
    typeof r.version === 'string' || typeof r.version === 'number' ? String(r.version) : undefined;
  return {
    ...(src ? { src } : {}),
    ...(version ? { version } : {}),
    ...(positive(r.width) ? { width: r.width } : {}),
    ...(positive(r.height) ? { height: r.height } : {}),
    uploads: parseUploads(r.uploads),
  };
}

function imageSource(r: Record<string, unknown>): string | undefined {
  for (const key of ['src', 'dataUrl', 'url'] as const) {
    const value = r[key];
    if (typeof value === 'string' && /^(data:image\/|blob:)/.test(value)) return value;
  }
  if (typeof r.data === 'string' && r.data.length > 0) {
    const mime = typeof r.mime === 'string' && r.mime.startsWith('image/') ? r.mime : 'image/png';
    return `data:${mime};base64,${r.data}`;
  }
  return undefined;
}

function parseUploads(value: unknown): readonly ImageUpload[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((u: unknown) => {
    if (!u || typeof u !== 'object') return [];
    const { received, count } = u as Record<string, unknown>;
    return typeof received === 'number' && typeof count === 'number' && count > 0
      ? [{ received, count }]
      : [];
  });
}

function positive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Why a file cannot become the shared image, or undefined when it can. */
export function imageFileProblem(file: {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}): string | undefined {
  if (!IMAGE_MIMES.includes(file.type)) {
    return `"${file.name}" is not a PNG, JPEG or WebP image.`;
  }
  if (file.size > IMAGE_MAX_BYTES) {
    const mib = (file.size / (1024 * 1024)).toFixed(1);
    return `"${file.name}" is ${mib} MiB; shared images are limited to 8 MiB.`;
  }
  return undefined;
}
