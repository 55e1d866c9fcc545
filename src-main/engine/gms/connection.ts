// One TCP connection carrying length-prefixed JSON frames, used by both GMS ends.
import type { Socket } from 'node:net';
import { FrameDecoder, encodeFrame } from './framing';

export interface ConnectionHandlers {
  /** A well-framed JSON value; its shape is still to be validated by the caller. */
  message(value: unknown): void;
  /** A frame was dropped; `fatal` means the connection is being closed because of it. */
  malformed(reason: string, fatal: boolean): void;
  /** Called once, whatever closed the connection. */
  closed(): void;
}

export class FramedConnection {
  private readonly decoder: FrameDecoder;
  private isClosed = false;

  constructor(
    readonly socket: Socket,
    maxFrameBytes: number,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.decoder = new FrameDecoder(maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.receive(data));
    // 'close' always follows 'error'; the error itself needs no handling beyond that.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.isClosed) return;
      this.isClosed = true;
      this.handlers.closed();
    });
  }

  get closed(): boolean {
    return this.isClosed || this.socket.destroyed;
  }

  /** Bytes queued in the socket but not yet handed to the kernel. */
  get pendingBytes(): number {
    return this.socket.writableLength;
  }

  send(message: unknown): void {
    if (!this.closed) this.socket.write(encodeFrame(message));
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(data: Buffer): void {
    for (const frame of this.decoder.push(data)) {
      if (this.closed) return;
      if (frame.kind === 'message') this.handlers.message(frame.value);
      else if (frame.kind === 'malformed') this.handlers.malformed(frame.reason, false);
      else {
        this.handlers.malformed(frame.reason, true);
        this.close();
      }
    }
  }
}
