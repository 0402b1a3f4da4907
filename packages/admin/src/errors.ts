/** The codes the admin server raises; docs/errors.md gives cause and fix for each. */
export const AdminErrorCodes = {
  /** A request body is not valid JSON, or a field has the wrong type or value. HTTP 400. */
  REQUEST_INVALID: "SS_ADMIN_REQUEST_INVALID",
  /** A module name in a URL is not a module name (`a-z 0-9 _ -`, starting with a letter). HTTP 400. */
  NAME_INVALID: "SS_ADMIN_NAME_INVALID",
  /** A request body is larger than the admin API accepts. HTTP 413. */
  BODY_TOO_LARGE: "SS_ADMIN_BODY_TOO_LARGE",
  /** The Host header is not the address the server is bound to (DNS rebinding). HTTP 403. */
  HOST_FORBIDDEN: "SS_ADMIN_HOST_FORBIDDEN",
  /** A state-changing request came from another site (its Origin is foreign: CSRF). HTTP 403. */
  ORIGIN_FORBIDDEN: "SS_ADMIN_ORIGIN_FORBIDDEN",
  /** The API needs `Authorization: Bearer <STARSTREAMER_ADMIN_TOKEN>` and it is missing or wrong. HTTP 401. */
  UNAUTHORIZED: "SS_ADMIN_UNAUTHORIZED",
  /** The server was asked to listen beyond loopback without `STARSTREAMER_ADMIN_TOKEN`. */
  TOKEN_REQUIRED: "SS_ADMIN_TOKEN_REQUIRED",
  /**
   * A reload (or the load a reload turned into) failed: the message has the build error with
   * file:line, or what initialize threw; a version that was serving keeps serving. HTTP 422.
   */
  RELOAD_FAILED: "SS_ADMIN_RELOAD_FAILED",
  /** No such route. HTTP 404. */
  NOT_FOUND: "SS_ADMIN_NOT_FOUND",
  /** `POST /api/chat` when the host runs without the local chat (connected to real Twitch). HTTP 409. */
  CHAT_UNAVAILABLE: "SS_ADMIN_CHAT_UNAVAILABLE",
  /** Something unexpected failed inside the server; the log has the details. HTTP 500. */
  INTERNAL: "SS_ADMIN_INTERNAL",
} as const;
