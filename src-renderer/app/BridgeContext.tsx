// The bridge for components. Created once in main.tsx; views reach the host only through it.
import { createContext, useContext } from 'react';
import type { RendererBridge } from '../bridge/types';

export const BridgeContext = createContext<RendererBridge | null>(null);

export function useBridge(): RendererBridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge outside <BridgeContext.Provider>');
  return bridge;
}
