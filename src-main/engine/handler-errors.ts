// Exceptions thrown by the application's handlers (messages, views). The engine calls them
// from its own event-loop work, so an exception has no caller to go back to, and it must not
// keep the message (or view) from the other handlers nor stop delivery: it is counted in the
// node's stats (handlerErrors) and passed to the embedder's hook (NodeOptions.onError).

import type { NodeId } from './membership';
import type { Counters } from './stats';

/** The handler call that threw: a message handler (onMessage or onGroupMessage) with the
 * message's group and sender, a view handler (onView) or a stall handler (onStall). */
export type HandlerCall =
  | { readonly handler: 'message'; readonly group: string; readonly sender: NodeId }
  | { readonly handler: 'view' }
  | { readonly handler: 'stall' };

/** Gets each exception a handler threw. Called synchronously, right after the handler; what
 * it throws itself is dropped (it must not break delivery either). */
export type HandlerErrorHook = (error: unknown, where: HandlerCall) => void;

/** Counts `error` and passes it to `hook`. */
export function reportHandlerError(
  counters: Counters,
  hook: HandlerErrorHook | undefined,
  error: unknown,
  where: HandlerCall,
): void {
  counters.handlerErrors++;
  if (!hook) return;
  try {
    hook(error, where);
  } catch {
    // The hook's own failure has nowhere else to go.
  }
}
