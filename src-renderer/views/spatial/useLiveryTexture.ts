// Decodes an image object's state into a three.js texture (rebuilt when the image changes).
import { useEffect, useMemo, useState } from 'react';
import { SRGBColorSpace, Texture } from 'three';
import type { ViewStateOf } from '../../../src-shared/bridge/protocol';
import { imageBytesOf } from './texture-data';

export function useImageTexture(state: ViewStateOf<'image'> | undefined): Texture | null {
  const image = useMemo(() => imageBytesOf(state), [state]);
  const [texture, setTexture] = useState<Texture | null>(null);
  const version = image?.version;
  useEffect(() => {
    if (!image) {
      setTexture(null);
      return;
    }
    let live = true;
    let made: Texture | null = null;
    const url = URL.createObjectURL(new Blob([image.bytes as BlobPart], { type: image.mime }));
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(url);
      if (!live) return;
      made = new Texture(img);
      made.colorSpace = SRGBColorSpace;
      made.needsUpdate = true;
      setTexture(made);
    };
    img.onerror = () => URL.revokeObjectURL(url);
    img.src = url;
    return () => {
      live = false;
      made?.dispose();
    };
    // `version` identifies the image; `image` itself is a fresh object per state.
  }, [version]);
  return texture;
}
