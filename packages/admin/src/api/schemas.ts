import { z } from "@hono/zod-openapi";
import { CONNECTION_STATES } from "starstreamer";
import { MODULE_STATES, USER_LEVELS } from "starstreamer/internal";

// One zod schema per shape the admin API speaks: the routes validate with these, the OpenAPI
// description is generated from them, and the page and the CLI read what they describe.

/** A module name as it may appear in a URL: the SDK's rule, so no path tricks get through. */
export const MODULE_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;

/** The module-name path parameter. */
export const moduleNameParamSchema = z.object({
  name: z
    .string()
    .regex(MODULE_NAME_PATTERN, "expected a module name: a-z 0-9 _ -, starting with a letter, at most 64")
    .openapi({ param: { name: "name", in: "path" }, example: "greeter" }),
});

/** What can be done to a module from the admin API. */
export const MODULE_ACTIONS = ["load", "enable", "disable", "reload", "unload"] as const;
/** One of {@link MODULE_ACTIONS}. */
export type ModuleAction = (typeof MODULE_ACTIONS)[number];

/** The JSON body of every error answer. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "SS_MODULE_NOT_FOUND" }),
      message: z.string(),
      /** Structured facts about the error (dependents, build errors with file and line). */
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

/** A module's last reload attempt, from the host's history. */
export const lastReloadSchema = z
  .object({
    ok: z.boolean(),
    durationMs: z.number(),
    at: z.number().nullable(),
    error: z.string().nullable(),
  })
  .openapi("LastReload");

/** One type error from the background type-check of a module. */
export const typeErrorSchema = z
  .object({
    file: z.string().nullable(),
    line: z.number().nullable(),
    column: z.number().nullable(),
    code: z.number(),
    message: z.string(),
  })
  .openapi("TypeError");

/** A module as the page shows it. */
export const moduleViewSchema = z
  .object({
    name: z.string(),
    state: z.enum(MODULE_STATES),
    enabled: z.boolean().openapi({ description: "what the user asked for (persisted)" }),
    version: z.string().nullable(),
    description: z.string(),
    author: z.string(),
    dependencies: z.array(z.string()),
    provides: z.array(z.string()),
    requires: z.array(z.string()),
    handlers: z.array(z.object({ name: z.string(), type: z.string(), triggers: z.array(z.string()) })),
    eventsHandled: z.number(),
    errors: z.number(),
    lastError: z.object({ message: z.string(), handler: z.string().nullable(), at: z.number() }).nullable(),
    reason: z.string().nullable().openapi({ description: "why the module failed, when it did" }),
    handlerP50Ms: z.number().nullable(),
    handlerP99Ms: z.number().nullable(),
    heapUsedMb: z.number().nullable(),
    queued: z.number(),
    dropped: z.number(),
    restarts: z.number(),
    reloads: z.object({ successful: z.number(), failed: z.number(), lastDurationMs: z.number().nullable() }),
    lastReload: lastReloadSchema.nullable(),
    typeErrors: z
      .array(typeErrorSchema)
      .openapi({ description: "from the last background type-check (dev); the module runs anyway" }),
    actions: z.array(z.enum(MODULE_ACTIONS)).openapi({ description: "the buttons that fit the state" }),
  })
  .openapi("Module");

/** The answer of a module action. */
export const actionResultSchema = z
  .object({
    module: moduleViewSchema,
    /** Modules a cascading disable or unload also touched, dependents first. */
    affected: z.array(z.string()),
    reload: z.object({ ok: z.boolean(), version: z.string().nullable(), durationMs: z.number() }).optional(),
  })
  .openapi("ActionResult");

/** The optional body of a module action. */
export const actionBodySchema = z
  .object({
    cascade: z
      .boolean()
      .optional()
      .openapi({ description: "disable/unload: also the modules that depend on this one" }),
  })
  .strict()
  .openapi("ActionBody");

/** The state of one platform connection. */
export const connectionSchema = z
  .object({
    configured: z.boolean(),
    kind: z.string().nullable(),
    state: z.enum(CONNECTION_STATES).nullable(),
    detail: z.string().nullable(),
    connections: z.record(z.string(), z.enum(CONNECTION_STATES)).nullable(),
  })
  .openapi("Connection");

/** `GET /api/stats`. */
export const statsSchema = z
  .object({
    total: z.number(),
    loaded: z.number(),
    enabled: z.number(),
    failed: z.number(),
    reloads: z.object({
      successful: z.number(),
      failed: z.number(),
      lastDurationMs: z.number().nullable(),
      lastAt: z.number().nullable(),
      lastError: z.string().nullable(),
    }),
    connections: z.object({ twitch: connectionSchema, obs: connectionSchema }),
  })
  .openapi("Stats");

/** `POST /api/events/simulate`. */
export const simulateBodySchema = z
  .object({
    type: z.string().min(1).openapi({ example: "twitch.raid" }),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "fields to set; the rest are filled with simulated defaults" }),
  })
  .strict()
  .openapi("SimulateBody");

/** A published event, as the API reports it. */
export const eventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    source: z.string(),
    timestamp: z.number(),
    data: z.unknown(),
  })
  .openapi("Event");

/** `GET /api/events/types`: the built-in types a user may simulate, with example data. */
export const eventTypesSchema = z
  .object({ types: z.array(z.object({ type: z.string(), example: z.unknown() })) })
  .openapi("EventTypes");

/** `POST /api/chat`: a line into the local chat, as a chosen user. */
export const chatBodySchema = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, "expected a non-empty message")
      .max(500, "expected at most 500 characters (Twitch's limit)")
      .refine((t) => !/[\r\n]/.test(t), "expected one line"),
    user: z
      .object({
        login: z
          .string()
          .regex(/^[a-z0-9_]{1,25}$/i, "expected a Twitch login: letters, digits and _, up to 25"),
        level: z.enum(USER_LEVELS).default("viewer"),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi("ChatBody");

/** `GET /api/modules`. */
export const moduleListSchema = z.object({ modules: z.array(moduleViewSchema) }).openapi("ModuleList");

/** `POST /api/modules/discover`. */
export const discoverResultSchema = z
  .object({ discovered: z.array(z.string()), modules: z.array(moduleViewSchema) })
  .openapi("DiscoverResult");

/** The view of a module, as inferred from {@link moduleViewSchema}. */
export type ModuleView = z.infer<typeof moduleViewSchema>;
/** The stats, as inferred from {@link statsSchema}. */
export type StatsView = z.infer<typeof statsSchema>;
/** One connection, as inferred from {@link connectionSchema}. */
export type ConnectionView = z.infer<typeof connectionSchema>;
/** A type error, as inferred from {@link typeErrorSchema}. */
export type TypeErrorView = z.infer<typeof typeErrorSchema>;
/** An error body, as inferred from {@link errorSchema}. */
export type ErrorBody = z.infer<typeof errorSchema>;
