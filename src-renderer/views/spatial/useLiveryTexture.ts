// Decodes an image object's state into a three.js texture (rebuilt when the image changes).
import { useEffect, useEffectEvent, useMemo, useState } from 'react';
import { SRGBColorSpace, Texture } from 'three';
import type { ViewStateOf } from '../../../src-shared/bridge/protocol';
import { imageBytesOf } from './texture-data';

export function useImageTexture(state: ViewStateOf<'image'> | undefined): Texture | null {
  const image = useMemo(() => imageBytesOf(state), [state]);
  const [loaded, setLoaded] = useState<{ readonly version: string; readonly texture: Texture }>();
  const version = image?.version;
  // `version` identifies the image; `image` itself is a fresh object per state, so it is read
  // when the version changes rather than being a reason to decode again.
  const currentImage = useEffectEvent(() => image);
  useEffect(() => {
    const decoding = currentImage();
    if (!decoding) return;
    let live = true;
    let made: Texture | null = null;
    const url = URL.createObjectURL(new Blob([decoding.bytes as BlobPart], { type: decoding.mime }));
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(url);
      if (!live) return;
      made = new Texture(img);
      made.colorSpace = SRGBColorSpace;
      made.needsUpdate = true;
      setLoaded({ version: decoding.version, texture: made });
    };
    img.onerror = () => URL.revokeObjectURL(url);
    img.src = url;
    return () => {
      live = false;
      made?.dispose();
    };
  }, [version]);
  // Only the current image's texture: none while it decodes or when there is no image.
  return loaded !== undefined && loaded.version === version ? loaded.texture : null;
}
