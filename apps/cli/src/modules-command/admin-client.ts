import type { z } from "zod";

/** Why a call to the admin API did not give an answer to show. */
export class AdminCallError extends Error {
  constructor(
    message: string,
    /** `unreachable`: nothing answers at the address; `api`: the API said no; `protocol`: not a bot. */
    readonly kind: "unreachable" | "api" | "protocol",
  ) {
    super(message);
    this.name = "AdminCallError";
  }
}

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** How long one call may take: a reload builds and starts a worker, which is well under this. */
const CALL_TIMEOUT_MS = 60_000;

/** A small client for the running bot's admin API (the routes the /modules page uses). */
export class AdminClient {
  readonly #base: string;
  readonly #token: string | undefined;

  constructor(base: string, token?: string) {
    this.#base = base;
    this.#token = token;
  }

  /** The bot's address, as said in messages. */
  get url(): string {
    return this.#base;
  }

  /**
   * Calls `path` (a POST with `post` as its JSON body, when given) and parses the answer with `schema`. An error answer becomes an AdminCallError
   * carrying the API's message; no answer at all says that no bot is running.
   */
  async call<T extends z.ZodType>(
    schema: T,
    path: string,
    post?: Record<string, unknown>,
  ): Promise<z.infer<T>> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (post) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method: post ? "POST" : "GET",
        headers,
        body: post ? JSON.stringify(post) : undefined,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      if (cause?.code && UNREACHABLE.has(cause.code)) {
        throw new AdminCallError(
          `no bot running at ${this.#base}: start one with npx starstreamer dev`,
          "unreachable",
        );
      }
      throw new AdminCallError(
        `could not reach the bot at ${this.#base}: ${cause?.message ?? (error as Error).message}`,
        "unreachable",
      );
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
      if (typeof message === "string") throw new AdminCallError(message, "api");
      throw new AdminCallError(
        `${this.#base} answered ${response.status} ${response.statusText}: is it a StarStreamer bot?`,
        "protocol",
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new AdminCallError(
        `${this.#base}${path} answered something that is not a StarStreamer admin answer: is the bot the same version as this command?`,
        "protocol",
      );
    }
    return parsed.data;
  }
}
