// One TCP connection carrying length-prefixed JSON frames, used by both GMS ends. With a key
// (auth.ts) nothing is delivered or sent before the handshake proves both ends hold it, and
// every frame after it is tagged; an end that fails is refused and the connection closed.
import type { Socket } from 'node:net';
import {
  FRAME_TAG_BYTES,
  FrameMac,
  REFUSAL_KEY_MISMATCH,
  REFUSAL_NO_KEY,
  newNonce,
  proof,
  sameBytes,
  type HandshakeRole,
} from './auth';
import { FrameDecoder, encodeFrame, parsePayload } from './framing';

export interface ConnectionHandlers {
  /** A well-framed JSON value; its shape is still to be validated by the caller. */
  message(value: unknown): void;
  /** A frame was dropped; `fatal` means the connection is being closed because of it. */
  malformed(reason: string, fatal: boolean): void;
  /** Called once, whatever closed the connection. */
  closed(): void;
  /** The key handshake failed, or the peer refused this end (the connection is being closed):
   * why, e.g. REFUSAL_KEY_MISMATCH. */
  refused?(reason: string): void;
}

export interface ConnectionOptions {
  readonly maxFrameBytes: number;
  readonly role: HandshakeRole;
  /** gmsKey(packetKey): authenticate the connection (auth.ts); none: plain frames. */
  readonly key?: Buffer;
  /** A server refuses a peer that has not completed the handshake this soon. */
  readonly handshakeMs?: number;
}

const HEX_NONCE = /^[0-9a-f]{64}$/;
const HANDSHAKE_VERSION = 1;

type Stage = 'hello' | 'challenge' | 'proof' | 'open' | 'refused';

export class FramedConnection {
  private readonly decoder: FrameDecoder;
  private isClosed = false;
  private stage: Stage;
  private readonly queued: unknown[] = [];
  private clientNonce: Buffer | undefined;
  private serverNonce: Buffer | undefined;
  private sendMac: FrameMac | undefined;
  private receiveMac: FrameMac | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: Socket,
    private readonly options: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.decoder = new FrameDecoder(options.maxFrameBytes);
    // A keyed client speaks first (its nonce); a keyed server waits for it.
    this.stage = !options.key ? 'open' : options.role === 'client' ? 'challenge' : 'hello';
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.receive(data));
    // 'close' always follows 'error'; the error itself needs no handling beyond that.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(this.handshakeTimer);
      // A peer that saw the server's proof and left without its own does not hold the key.
      if (this.stage === 'proof') this.fail('wrong key (left during the key handshake)');
      if (this.isClosed) return;
      this.isClosed = true;
      this.handlers.closed();
    });
    if (options.key && options.role === 'client') {
      this.clientNonce = newNonce();
      const hello = { t: 'hello', v: HANDSHAKE_VERSION, nonce: this.clientNonce.toString('hex') };
      if (socket.connecting) socket.once('connect', () => this.write(hello));
      else this.write(hello);
    }
    if (options.key && options.role === 'server') {
      const ms = options.handshakeMs ?? 5000;
      this.handshakeTimer = setTimeout(() => this.refuse(`no key handshake within ${ms} ms`), ms);
    }
  }

  get closed(): boolean {
    return this.isClosed || this.socket.destroyed;
  }

  /** Whether messages flow: at once without a key, after the handshake with one. */
  get open(): boolean {
    return this.stage === 'open';
  }

  /** Bytes queued in the socket but not yet handed to the kernel. */
  get pendingBytes(): number {
    return this.socket.writableLength;
  }

  /** Sends a message (held until the handshake completes, with a key). */
  send(message: unknown): void {
    if (this.closed) return;
    if (this.stage !== 'open') this.queued.push(message);
    else this.write(message);
  }

  close(): void {
    clearTimeout(this.handshakeTimer);
    this.socket.destroy();
  }

  private write(message: unknown): void {
    if (this.closed) return;
    const mac = this.sendMac;
    this.socket.write(encodeFrame(message, mac && ((payload) => mac.next(payload))));
  }

  private receive(data: Buffer): void {
    for (const frame of this.decoder.payloads(data)) {
      if (this.closed || this.stage === 'refused') return;
      if (frame.kind === 'fatal') {
        this.handlers.malformed(frame.reason, true);
        this.close();
        return;
      }
      let payload = frame.payload;
      const mac = this.receiveMac;
      if (mac) {
        const end = payload.length - FRAME_TAG_BYTES;
        if (end < 0 || !mac.check(payload.subarray(0, end), payload.subarray(end))) {
          this.handlers.malformed('frame failed authentication', true);
          this.close();
          return;
        }
        payload = payload.subarray(0, end);
      }
      const decoded = parsePayload(payload);
      if (decoded.kind !== 'message') this.handlers.malformed(decoded.reason, false);
      else if (this.stage === 'open' && !this.sendMac && isRefusal(decoded.value))
        this.refusedBy(decoded.value);
      else if (this.stage === 'open') this.plainOrAuthenticated(decoded.value);
      else this.handshake(decoded.value);
    }
  }

  /** A message on an open connection. Without a key, a keyed peer's hello is refused here. */
  private plainOrAuthenticated(value: unknown): void {
    if (!this.options.key && this.options.role === 'server' && isObject(value) && value['t'] === 'hello') {
      this.refuse(REFUSAL_NO_KEY, 'the peer holds a key');
      return;
    }
    this.handlers.message(value);
  }

  private handshake(value: unknown): void {
    const key = this.options.key!;
    if (isRefusal(value)) return this.refusedBy(value);
    const m = isObject(value) ? value : {};
    switch (this.stage) {
      case 'hello': {
        if (m['t'] !== 'hello' || m['v'] !== HANDSHAKE_VERSION || !isNonce(m['nonce']))
          return this.refuse(REFUSAL_KEY_MISMATCH, 'no key');
        this.clientNonce = Buffer.from(m['nonce'], 'hex');
        this.serverNonce = newNonce();
        this.stage = 'proof';
        this.write({
          t: 'challenge',
          nonce: this.serverNonce.toString('hex'),
          proof: proof(key, 'server', this.clientNonce, this.serverNonce).toString('hex'),
        });
        return;
      }
      case 'challenge': {
        if (m['t'] !== 'challenge' || !isNonce(m['nonce']) || typeof m['proof'] !== 'string') {
          this.handlers.malformed('not a key handshake', true);
          return this.close();
        }
        this.serverNonce = Buffer.from(m['nonce'], 'hex');
        const expected = proof(key, 'server', this.clientNonce!, this.serverNonce);
        if (!sameBytes(expected, Buffer.from(m['proof'], 'hex'))) return this.fail(REFUSAL_KEY_MISMATCH);
        this.write({
          t: 'proof',
          proof: proof(key, 'client', this.clientNonce!, this.serverNonce).toString('hex'),
        });
        return this.opened('client');
      }
      case 'proof': {
        const given =
          m['t'] === 'proof' && typeof m['proof'] === 'string' ? Buffer.from(m['proof'], 'hex') : undefined;
        const expected = proof(key, 'client', this.clientNonce!, this.serverNonce!);
        if (!given || !sameBytes(expected, given)) return this.refuse(REFUSAL_KEY_MISMATCH, 'wrong key');
        return this.opened('server');
      }
    }
  }

  private opened(self: HandshakeRole): void {
    clearTimeout(this.handshakeTimer);
    const key = this.options.key!;
    const peer: HandshakeRole = self === 'client' ? 'server' : 'client';
    this.sendMac = FrameMac.direction(key, self, this.clientNonce!, this.serverNonce!);
    this.receiveMac = FrameMac.direction(key, peer, this.clientNonce!, this.serverNonce!);
    this.stage = 'open';
    for (const message of this.queued.splice(0)) this.write(message);
  }

  /** Tells the peer it is refused (and why, from its side), then closes. */
  private refuse(told: string, logged = told): void {
    if (this.closed || this.stage === 'refused') return;
    this.write({ t: 'refused', reason: told });
    this.stage = 'refused';
    clearTimeout(this.handshakeTimer);
    this.handlers.refused?.(logged);
    // Ends after the refusal is written; a peer that does not close its side is cut off.
    this.socket.end();
    setTimeout(() => this.close(), 1000).unref();
  }

  private fail(reason: string): void {
    this.stage = 'refused';
    clearTimeout(this.handshakeTimer);
    this.handlers.refused?.(reason);
    this.close();
  }

  private refusedBy(value: { reason: string }): void {
    this.fail(value.reason.slice(0, 200));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRefusal(value: unknown): value is { t: 'refused'; reason: string } {
  return isObject(value) && value['t'] === 'refused' && typeof value['reason'] === 'string';
}

function isNonce(value: unknown): value is string {
  return typeof value === 'string' && HEX_NONCE.test(value);
}
