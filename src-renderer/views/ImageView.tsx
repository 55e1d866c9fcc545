// A shared image, scaled to fit. Dropping, pasting or choosing a file replaces it for everyone.
import { Icon } from '../app/Icon';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { attempt } from '../app/attempt';
import { useBridge } from '../app/BridgeContext';
import type { ViewStateOf } from '../../src-shared/bridge/protocol';
import { useViewState } from '../app/stores/replicas';
import { fileBytes } from './dom-drop';
import { IMAGE_MIMES, imageFileProblem } from './image-state';

export function ImageView({ handle, title }: { handle: string; title: string }): React.JSX.Element {
  const bridge = useBridge();
  const image = useViewState(handle, 'image');
  const inputRef = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const replace = async (file: File) => {
    const why = imageFileProblem(file);
    setProblem(why ?? null);
    if (why) return;
    setBusy(true);
    try {
      const data = await fileBytes(file);
      await attempt(
        bridge.call('act', { handle, intent: { kind: 'image.set', mime: file.type, data } }),
        `Could not share "${file.name}"`,
      );
    } finally {
      setBusy(false);
    }
  };

  const firstImage = (files: FileList | null | undefined): File | undefined =>
    files ? [...files].find((f) => f.type.startsWith('image/')) : undefined;

  const onDragOver = (e: React.DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = 'copy';
  };

  const onDrop = (e: React.DragEvent) => {
    const file = firstImage(e.dataTransfer.files);
    if (!file) return; // Not ours: a .liveobject file or a reference goes to the desktop.
    e.preventDefault();
    e.stopPropagation();
    void replace(file);
  };

  const onPaste = (e: React.ClipboardEvent) => {
    const file = firstImage(e.clipboardData.files);
    if (!file) return;
    e.preventDefault();
    e.stopPropagation();
    void replace(file);
  };

  const upload = image?.uploads[image.uploads.length - 1];
  const shown = image ? shownImage(image) : undefined;

  return (
    <div
      className="image-view"
      data-testid="image-view"
      data-version={image?.version ?? undefined}
      tabIndex={0}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onPaste={onPaste}
    >
      {shown ? (
        <ImageBytes image={shown} alt={title} />
      ) : (
        <div className="image-empty" data-testid="image-empty">
          No image yet. Drop, paste or choose a PNG, JPEG or WebP file (up to 8 MiB).
        </div>
      )}
      <div className="image-toolbar">
        {busy && <span className="muted">Sending…</span>}
        {upload && !busy && (
          <span className="muted" data-testid="image-progress">
            Receiving a new version… {Math.round((100 * upload.received) / upload.count)}%
          </span>
        )}
        <button
          type="button"
          className="button small"
          data-testid="image-choose"
          onClick={() => inputRef.current?.click()}
        >
          {shown ? 'Replace…' : 'Choose image…'}
        </button>
        <input
          ref={inputRef}
          type="file"
          hidden
          accept={IMAGE_MIMES.join(',')}
          data-testid="image-file-input"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void replace(file);
          }}
        />
      </div>
      {problem && (
        <div className="image-problem" role="alert" data-testid="image-error">
          <span>{problem}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setProblem(null)}>
            <Icon name="close" />
          </button>
        </div>
      )}
    </div>
  );
}

interface ShownImage {
  readonly data: Uint8Array;
  readonly mime: string;
  readonly version: string;
}

function shownImage({ data, mime, version }: ViewStateOf<'image'>): ShownImage | undefined {
  return data && mime && version ? { data, mime, version } : undefined;
}

/**
 * The image's bytes through a Blob URL (the CSP's img-src allows blob:), made once per version
 * and revoked when the version is replaced or the view goes. Every state carries the bytes
 * again, so the version, not the bytes' identity, says when the picture changed.
 */
function ImageBytes({ image, alt }: { image: ShownImage; alt: string }): React.JSX.Element {
  const img = useRef<HTMLImageElement>(null);
  const currentImage = useEffectEvent(() => image);
  useEffect(() => {
    const { data, mime } = currentImage();
    const url = URL.createObjectURL(new Blob([data as BlobPart], { type: mime }));
    if (img.current) img.current.src = url;
    return () => URL.revokeObjectURL(url);
  }, [image.version]);
  return <img ref={img} className="image-picture" data-testid="image-view-img" alt={alt} draggable={false} />;
}
