import * as Comlink from "comlink";
import { asError } from "../errors.ts";

/** An error flattened to cross a thread boundary ({@link serializeError}, {@link deserializeError}). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string | undefined;
  code?: string | undefined;
  data?: unknown;
}

function toPlain(data: unknown): unknown {
  try {
    return structuredClone(data);
  } catch {
    try {
      return JSON.parse(JSON.stringify(data)) as unknown;
    } catch {
      return undefined;
    }
  }
}

/** Flattens an error, keeping `code` and `data` (Comlink alone keeps only name, message, stack). */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const { code, data } = error as Error & { code?: unknown; data?: unknown };
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      code: typeof code === "string" ? code : undefined,
      data: data === undefined ? undefined : toPlain(data),
    };
  }
  return { name: "Error", message: typeof error === "string" ? error : String(error) };
}

/**
 * Rebuilds an error on this side of the boundary; an error with a code comes back as a
 * StarStreamerError (through `asError`, the one place coded errors are rebuilt), others as Error.
 */
export function deserializeError(value: SerializedError): Error {
  const plain = Object.assign(
    new Error(value.message),
    value.code === undefined ? {} : { code: value.code, data: value.data },
  );
  const error = value.code !== undefined ? asError(plain) : plain;
  error.name = value.name;
  if (value.stack !== undefined) error.stack = value.stack;
  return error;
}

let installed = false;

/** Replaces Comlink's "throw" transfer handler so errors keep their `code` and `data`. Idempotent. */
export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const original = Comlink.transferHandlers.get("throw");
  if (!original) throw new Error("Comlink has no throw transfer handler to replace");
  Comlink.transferHandlers.set("throw", {
    canHandle: original.canHandle,
    serialize(thrown: unknown) {
      const { value } = thrown as { value: unknown };
      const isError = value instanceof Error;
      return [{ isError, value: isError ? serializeError(value) : toPlain(value) }, []];
    },
    deserialize(serialized: unknown): never {
      const { isError, value } = serialized as { isError: boolean; value: unknown };
      throw isError ? deserializeError(value as SerializedError) : value;
    },
  });
}
