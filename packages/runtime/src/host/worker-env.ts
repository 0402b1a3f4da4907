/** Always passed to workers: they change how code behaves but carry no secret. */
const BASE_ENV = ["NODE_ENV", "TZ"];

/**
 * The environment a module worker sees: only the allowed keys that are set. Workers would
 * otherwise share the host's `process.env`, tokens from `.env` included.
 */
export function workerEnv(
  allowed: readonly string[] = [],
  source: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of [...BASE_ENV, ...allowed]) {
    const value = source[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}
