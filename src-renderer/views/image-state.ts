// Which files can become a shared image (the image object's own limits, checked before sending).
import { IMAGE_MIMES } from '../../src-shared/bridge/view-state';

export { IMAGE_MIMES };

/** Shared images are limited to 8 MiB by the image object (IMAGE_LIMITS on the host). */
export const IMAGE_MAX_BYTES = 8 * 1024 * 1024;

const MIMES: readonly string[] = IMAGE_MIMES;

/** Why a file cannot become the shared image, or undefined when it can. */
export function imageFileProblem(file: {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}): string | undefined {
  if (!MIMES.includes(file.type)) {
    return `"${file.name}" is not a PNG, JPEG or WebP image.`;
  }
  if (file.size > IMAGE_MAX_BYTES) {
    const mib = (file.size / (1024 * 1024)).toFixed(1);
    return `"${file.name}" is ${mib} MiB; shared images are limited to 8 MiB.`;
  }
  return undefined;
}
