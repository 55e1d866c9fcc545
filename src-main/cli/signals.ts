// How long-running commands (`gms`, `serve`) wait to be stopped.

/** Resolves with the first SIGINT or SIGTERM. Install it before announcing readiness: whoever
 * reads that line may signal at once, and an unhandled SIGTERM kills the process without a clean
 * shutdown. A second signal while shutting down gets Node's default handling (exit). */
export function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
