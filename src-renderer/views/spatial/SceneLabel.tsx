// A DOM label anchored to a point of the 3D scene (drei's Html), drawn into the scene's label
// layer. Html otherwise attaches to the canvas' parent until the canvas connects its events and
// then to the event source: a label mounted in the canvas' first commit (a space opened with
// objects already in it) moved once, and drei's re-attach created a second React root on the
// same element whose first render cleared the first root's content, so the first root's
// deferred unmount failed ("removeChild: not a child of this node"). One layer from the first
// render means one attach.
import { Html } from '@react-three/drei';
import type { HtmlProps } from '@react-three/drei/web/Html';
import { createContext, useContext } from 'react';

/** The element labels attach to: an overlay of the canvas (SceneCanvas). */
export const LabelLayer = createContext<React.RefObject<HTMLElement | null> | null>(null);

export function SceneLabel(props: HtmlProps): React.JSX.Element {
  const layer = useContext(LabelLayer);
  return <Html {...props} {...(layer ? { portal: layer as React.RefObject<HTMLElement> } : {})} />;
}
