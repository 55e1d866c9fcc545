// Files the OS or the command line asks a shell to open arrive before any renderer listens
// for `opened` events; they wait here until a renderer has said hello.

export class FileOpener {
  private readonly queue: string[] = [];
  private isReady = false;

  constructor(
    private readonly open: (path: string) => Promise<void>,
    private readonly report: (path: string, error: unknown) => void,
  ) {}

  get ready(): boolean {
    return this.isReady;
  }

  request(path: string): void {
    if (this.isReady) this.openNow(path);
    else this.queue.push(path);
  }

  /** A renderer is listening: opens everything queued, then later requests at once. */
  markReady(): void {
    if (this.isReady) return;
    this.isReady = true;
    for (const path of this.queue.splice(0)) this.openNow(path);
  }

  /** No renderer is listening any more (the last window closed): queue again. */
  markIdle(): void {
    this.isReady = false;
  }

  private openNow(path: string): void {
    this.open(path).catch((error: unknown) => this.report(path, error));
  }
}
