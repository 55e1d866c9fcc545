// A shared image, scaled to fit. Dropping, pasting or choosing a file replaces it for everyone.
import { Icon } from '../app/Icon';
import { useMemo, useRef, useState } from 'react';
import { attempt } from '../app/attempt';
import { useBridge } from '../app/BridgeContext';
import { useObjectState } from '../app/stores/replicas';
import { fileToBase64 } from './dom-drop';
import { IMAGE_MIMES, imageFileProblem, parseImageState } from './image-state';

export function ImageView({ handle, title }: { handle: string; title: string }): React.JSX.Element {
  const bridge = useBridge();
  const raw = useObjectState(handle);
  const image = useMemo(() => parseImageState(raw), [raw]);
  const inputRef = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const replace = async (file: File) => {
    const why = imageFileProblem(file);
    setProblem(why ?? null);
    if (why) return;
    setBusy(true);
    try {
      const data = await fileToBase64(file);
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

  const upload = image.uploads[image.uploads.length - 1];

  return (
    <div
      className="image-view"
      data-testid="image-view"
      data-version={image.version}
      tabIndex={0}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onPaste={onPaste}
    >
      {image.src ? (
        <img
          className="image-picture"
          data-testid="image-view-img"
          src={image.src}
          alt={title}
          draggable={false}
        />
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
          {image.src ? 'Replace…' : 'Choose image…'}
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
