// liveobjects.image: a shared image. A new version is the whole file, sent as chunks that
// each carry the version's stamp (Lamport time + sender), index/count, total size and
// SHA-256, so reassembly can start from any chunk and concurrent uploads interleave freely.
// The newest *complete and verified* version wins (LWW by stamp); incomplete ones time out.
import { toBase64 } from 'lib0/buffer';
import { digest } from 'lib0/hash/sha256';
import type { Chunk, StoredImage, UploadHeader } from './image-codec';
import { IMAGE_LIMITS, decodeChunk, decodeState, encodeChunk, encodeState } from './image-codec';
import type { ImageInfo, ImageMime } from './image-format';
import { sniffImage } from './image-format';
import { MessageKind, frame, unframe } from './kinds';
import type { Stamp } from './lamport';
import { LamportClock, compareStamps, formatStamp, isNewer } from './lamport';
import { ModelError } from './model';
import type { ReplicatedModel, Send } from './model';
import { ModelBase } from './model-base';

export const IMAGE_TYPE = 'liveobjects.image';

export interface ImageUploadProgress {
  readonly version: string;
  readonly received: number;
  readonly count: number;
}

export interface ImageView {
  /** "lamport@sender" of the shown version; null while there is no image. */
  readonly version: string | null;
  readonly mime: ImageMime | null;
  /** From the file header when it is cheap to read; null otherwise. */
  readonly width: number | null;
  readonly height: number | null;
  readonly size: number;
  /** SHA-256 (hex) of the bytes: fetch them with blob(blobId) (or dataUrl()). */
  readonly blobId: string | null;
  /** Newer versions still arriving, oldest first. */
  readonly uploads: readonly ImageUploadProgress[];
}

export interface ImageModelOptions {
  /** This member's id in the group: the tie-breaker of our Lamport stamps. */
  readonly self: string;
  readonly send: Send;
  /** Clock for upload timeouts (ms); injectable for tests. */
  readonly now?: () => number;
}

interface Current extends StoredImage {
  readonly info: ImageInfo;
}

interface Upload {
  readonly header: UploadHeader;
  readonly chunks: Map<number, Uint8Array>;
  bytes: number;
  lastActivity: number;
}

const MIB = 1024 * 1024;

export class ImageModel extends ModelBase<ImageView> implements ReplicatedModel<ImageView> {
  readonly type = IMAGE_TYPE;
  readonly #self: string;
  readonly #now: () => number;
  readonly #clock = new LamportClock();
  readonly #pending = new Map<string, Upload>();
  #current: Current | undefined;

  constructor(options: ImageModelOptions) {
    super(options.send);
    this.#self = options.self;
    this.#now = options.now ?? Date.now;
  }

  // ---- user intents ---------------------------------------------------------------------------

  /** Shares a new version of the image; returns its version. Throws ModelError on bad input. */
  setImage(bytes: Uint8Array): string {
    if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
      throw new ModelError('invalid-argument', 'The image is empty.');
    }
    if (bytes.length > IMAGE_LIMITS.maxBytes) {
      throw new ModelError(
        'too-large',
        `The image is ${(bytes.length / MIB).toFixed(1)} MiB; shared images are limited to ${IMAGE_LIMITS.maxBytes / MIB} MiB.`,
      );
    }
    if (!sniffImage(bytes)) {
      throw new ModelError(
        'unsupported-format',
        'Unsupported image format: only PNG, JPEG and WebP images can be shared.',
      );
    }
    const stamp: Stamp = { t: this.#clock.tick(), s: this.#self };
    const copy = bytes.slice();
    const stored: StoredImage = { stamp, sha256: digest(copy), bytes: copy };
    this.#install(stored);
    this.#sendChunks(stored);
    return formatStamp(stamp);
  }

  /** The current image's bytes (do not modify them). */
  bytes(): Uint8Array | undefined {
    return this.#current?.bytes;
  }

  /** The bytes named by a view's blobId, if that is still the current version. */
  blob(blobId: string): Uint8Array | undefined {
    return this.#current && hex(this.#current.sha256) === blobId ? this.#current.bytes : undefined;
  }

  dataUrl(): string | undefined {
    return this.#current && `data:${this.#current.info.mime};base64,${toBase64(this.#current.bytes)}`;
  }

  /** Abandons uploads idle for longer than the timeout; returns how many. Call it periodically. */
  expire(now: number = this.#now()): number {
    let n = 0;
    for (const [key, upload] of this.#pending) {
      if (now - upload.lastActivity >= IMAGE_LIMITS.uploadTimeoutMs) {
        this.#pending.delete(key);
        n += 1;
      }
    }
    if (n > 0) this.changed();
    return n;
  }

  // ---- checkpointed client --------------------------------------------------------------------

  receive(_sender: string, update: Uint8Array): void {
    this.countReceived();
    const framed = unframe(update);
    if (!framed.ok) return this.drop(`image: ${framed.reason}`);
    if (framed.kind !== MessageKind.ImageChunk)
      return this.drop(`image: unexpected message kind ${framed.kind}`);
    const decoded = decodeChunk(framed.payload);
    if (!decoded.ok) return this.drop(decoded.reason);
    this.expire();
    this.#addChunk(decoded.value);
  }

  initialize(checkpoint: Uint8Array): void {
    this.markJoined();
    const decoded = this.#decodeState(checkpoint);
    if (!decoded.ok) return this.drop(decoded.reason);
    const { current, pending } = decoded.value;
    const mine = this.#current;
    const groupLacks = mine && (!current || isNewer(mine.stamp, current.stamp)) ? mine : undefined;
    if (current) this.#offer(current, 'image state');
    for (const upload of pending) {
      for (const [index, data] of upload.chunks) this.#addChunk({ ...upload, index, data });
    }
    if (groupLacks) this.#sendChunks(groupLacks);
  }

  checkpoint(): Uint8Array {
    const pending = [...this.#pending.values()].map((u) => ({ ...u.header, chunks: u.chunks }));
    return frame(
      MessageKind.ImageState,
      encodeState(this.#current ? { current: this.#current, pending } : { pending }),
    );
  }

  // ---- persistence ----------------------------------------------------------------------------

  /** The current version only: uploads in progress are not worth keeping. */
  persist(): Uint8Array {
    return frame(
      MessageKind.ImageState,
      encodeState(this.#current ? { current: this.#current, pending: [] } : { pending: [] }),
    );
  }

  restore(bytes: Uint8Array): void {
    const decoded = this.#decodeState(bytes);
    if (!decoded.ok) throw new ModelError('invalid-state', `Cannot restore the image: ${decoded.reason}.`);
    const { current } = decoded.value;
    if (!current) return;
    const problem = verify(current);
    if (typeof problem === 'string')
      throw new ModelError('invalid-state', `Cannot restore the image: ${problem}.`);
    this.#clock.observe(current.stamp.t);
    if (this.#install(current) && this.joined) this.#sendChunks(current);
  }

  // ---- internals ------------------------------------------------------------------------------

  protected computeView(): ImageView {
    const c = this.#current;
    const uploads = [...this.#pending.values()]
      .sort((a, b) => compareStamps(a.header.stamp, b.header.stamp))
      .map((u) => ({ version: formatStamp(u.header.stamp), received: u.chunks.size, count: u.header.count }));
    return {
      version: c ? formatStamp(c.stamp) : null,
      mime: c?.info.mime ?? null,
      width: c?.info.width ?? null,
      height: c?.info.height ?? null,
      size: c?.bytes.length ?? 0,
      blobId: c ? hex(c.sha256) : null,
      uploads,
    };
  }

  #decodeState(bytes: Uint8Array): ReturnType<typeof decodeState> {
    const framed = unframe(bytes);
    if (!framed.ok) return { ok: false, reason: `image state: ${framed.reason}` };
    if (framed.kind !== MessageKind.ImageState)
      return { ok: false, reason: `image state: unexpected kind ${framed.kind}` };
    return decodeState(framed.payload);
  }

  #addChunk(chunk: Chunk): void {
    this.#clock.observe(chunk.stamp.t);
    // Our own echoes and versions that already lost end here, silently.
    if (this.#current && !isNewer(chunk.stamp, this.#current.stamp)) return;
    const key = formatStamp(chunk.stamp);
    let upload = this.#pending.get(key);
    if (!upload) {
      if (!this.#makeRoom(chunk.stamp)) return this.drop('image: too many concurrent uploads');
      upload = { header: chunk, chunks: new Map(), bytes: 0, lastActivity: this.#now() };
      this.#pending.set(key, upload);
    } else if (!sameHeader(upload.header, chunk)) {
      return this.drop('image: chunk disagrees with its upload');
    }
    upload.lastActivity = this.#now();
    if (upload.chunks.has(chunk.index)) return;
    upload.chunks.set(chunk.index, chunk.data);
    upload.bytes += chunk.data.length;
    if (upload.bytes > upload.header.total) {
      this.#pending.delete(key);
      this.changed();
      return this.drop('image: chunks exceed the announced size');
    }
    if (upload.chunks.size < upload.header.count) return this.changed();
    this.#pending.delete(key);
    const bytes = new Uint8Array(upload.header.total);
    let at = 0;
    for (let i = 0; i < upload.header.count; i++) {
      const part = upload.chunks.get(i) as Uint8Array;
      bytes.set(part, at);
      at += part.length;
    }
    if (at !== upload.header.total) {
      this.changed();
      return this.drop('image: reassembled size differs from the announced size');
    }
    // The upload left #pending: if it does not become current, the view must still change.
    if (!this.#offer({ stamp: chunk.stamp, sha256: upload.header.sha256, bytes }, 'image')) this.changed();
  }

  /** Verifies and installs a complete version received from others; returns whether it won. */
  #offer(image: StoredImage, what: string): boolean {
    this.#clock.observe(image.stamp.t);
    const problem = verify(image);
    if (typeof problem === 'string') {
      this.drop(`${what}: ${problem}`);
      return false;
    }
    return this.#install(image);
  }

  /** Installs `image` if it is newer than the current one; returns whether it did. */
  #install(image: StoredImage): boolean {
    if (this.#current && !isNewer(image.stamp, this.#current.stamp)) return false;
    const info = sniffImage(image.bytes);
    if (!info) return false;
    this.#current = { ...image, info };
    for (const [key, upload] of this.#pending) {
      if (!isNewer(upload.header.stamp, image.stamp)) this.#pending.delete(key);
    }
    this.changed();
    return true;
  }

  /** Frees a pending slot for an upload stamped `stamp`, abandoning the oldest-stamped one. */
  #makeRoom(stamp: Stamp): boolean {
    if (this.#pending.size < IMAGE_LIMITS.maxPendingUploads) return true;
    let oldest: [string, Upload] | undefined;
    for (const entry of this.#pending) {
      if (!oldest || compareStamps(entry[1].header.stamp, oldest[1].header.stamp) < 0) oldest = entry;
    }
    if (!oldest || compareStamps(stamp, oldest[1].header.stamp) < 0) return false;
    this.#pending.delete(oldest[0]);
    return true;
  }

  #sendChunks(image: StoredImage): void {
    const total = image.bytes.length;
    const count = Math.ceil(total / IMAGE_LIMITS.chunkBytes);
    for (let index = 0; index < count; index++) {
      const data = image.bytes.subarray(
        index * IMAGE_LIMITS.chunkBytes,
        (index + 1) * IMAGE_LIMITS.chunkBytes,
      );
      const chunk: Chunk = { stamp: image.stamp, count, total, sha256: image.sha256, index, data };
      this.send(frame(MessageKind.ImageChunk, encodeChunk(chunk)));
    }
  }
}

/** Why a complete image must be refused, or its format. */
function verify(image: StoredImage): ImageInfo | string {
  if (!equalBytes(digest(image.bytes), image.sha256)) return 'SHA-256 mismatch';
  return sniffImage(image.bytes) ?? 'not a PNG, JPEG or WebP image';
}

function sameHeader(a: UploadHeader, b: UploadHeader): boolean {
  return a.count === b.count && a.total === b.total && equalBytes(a.sha256, b.sha256);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
