// Small schemas the bridge's messages are built from.
import { z } from './zod';

/** Binary payloads (Yjs updates, image bytes) travel as bytes: IPC and the socket carry them. */
export const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'must be bytes (a Uint8Array)');

/** A finite number (z.number() refuses NaN and ±Infinity). */
export const Num = z.number();
export const Int = z.int();
export const NonNegativeInt = z.int().check(z.nonnegative());

/** [x, y, z] in scene units (metres in geographic scenes; y up). */
export const Vec3 = z.tuple([Num, Num, Num]);
/** A quaternion [x, y, z, w]. */
export const Quat = z.tuple([Num, Num, Num, Num]);

/** A reference as .liveobject XML. */
export const Reference = z.string();

export const ObjectHandle = z.string();
