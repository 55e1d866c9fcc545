// The name a node shows to others when the user gave none.
import { userInfo } from 'node:os';

export function defaultUserName(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    // No passwd entry (some containers): let the host choose.
    return undefined;
  }
}
