import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { type Host, RuntimeErrorCodes } from "@starstreamer/runtime";
import { StarStreamerError } from "starstreamer";
import { AdminErrorCodes } from "../errors.ts";
import type { ModuleViews } from "./module-view.ts";
import {
  actionBodySchema,
  actionResultSchema,
  discoverResultSchema,
  errorSchema,
  MODULE_ACTIONS,
  type ModuleAction,
  moduleListSchema,
  moduleNameParamSchema,
  moduleViewSchema,
} from "./schemas.ts";

const json = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const failure = (description: string) => json(errorSchema, description);

const ACTION_DOCS: Record<ModuleAction, string> = {
  load: "Build the module, start its worker, initialize it and route events to it.",
  enable: "Route events to a loaded module again (persisted).",
  disable: "Stop routing events to the module; its worker stays (persisted).",
  reload:
    "Blue-green reload: a new worker replaces the old one only if it builds and initializes; otherwise the old one keeps serving (422).",
  unload: "Shut the module down and end its worker; it stays listed and can be loaded again.",
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The module routes: list, one module, discover, and the five lifecycle actions. */
export function registerModuleRoutes(app: OpenAPIHono, host: Host, views: ModuleViews): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/modules",
      summary: "Every module the host knows, with its state and figures",
      responses: { 200: json(moduleListSchema, "the modules, by name") },
    }),
    async (c) => c.json({ modules: await views.all() }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/modules/discover",
      summary: "Look for new module folders (they are listed as discovered, not loaded)",
      responses: { 200: json(discoverResultSchema, "the new names and every module") },
    }),
    async (c) => {
      const discovered = await host.registry.discover();
      return c.json({ discovered, modules: await views.all() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/modules/{name}",
      summary: "One module",
      request: { params: moduleNameParamSchema },
      responses: {
        200: json(moduleViewSchema, "the module"),
        400: failure("not a module name"),
        404: failure("no such module"),
      },
    }),
    async (c) => c.json(await views.one(c.req.valid("param").name), 200),
  );

  for (const action of MODULE_ACTIONS) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/api/modules/{name}/${action}`,
        summary: ACTION_DOCS[action],
        request: {
          params: moduleNameParamSchema,
          body: { content: { "application/json": { schema: actionBodySchema } }, required: false },
        },
        responses: {
          200: json(actionResultSchema, "the module's new state"),
          400: failure("not a module name, or a bad body"),
          404: failure("no such module"),
          409: failure("the action does not fit the state, or other modules depend on this one (named)"),
          422: failure(
            "the module failed to build or initialize (file:line); on reload the old version keeps serving",
          ),
        },
      }),
      async (c) => {
        const { name } = c.req.valid("param");
        const body = c.req.valid("json") ?? {};
        const cascade = body.cascade ?? false;
        let affected = [name];
        switch (action) {
          case "load":
            await host.registry.load(name);
            break;
          case "enable":
            await host.registry.enable(name);
            break;
          case "disable":
            affected = await host.registry.disable(name, { cascade });
            break;
          case "unload":
            affected = await host.registry.unload(name, { cascade });
            break;
          case "reload": {
            // The same entry the file watcher uses: reload blue-green, load a new or unloaded
            // folder, unload a deleted one.
            const change = await host.applyChange(name);
            switch (change.action) {
              case "none":
                throw new StarStreamerError(
                  RuntimeErrorCodes.MODULE_NOT_FOUND,
                  `no module named "${name}" and no folder for it in the modules directory`,
                );
              case "failed": {
                // 422 with the build error's file:line (or what initialize threw); when a version
                // was serving, it still is.
                const known = change as { code?: unknown; data?: unknown };
                throw new StarStreamerError(
                  typeof known.code === "string" ? known.code : AdminErrorCodes.RELOAD_FAILED,
                  change.kept ? `${change.error} (the previous version keeps serving)` : change.error,
                  { data: isRecord(known.data) ? known.data : {} },
                );
              }
              case "unloaded":
                affected = [...change.also, name];
                break;
              default: {
                const reload = { ok: true, version: change.version, durationMs: change.durationMs };
                return c.json({ module: await views.one(name), affected, reload }, 200);
              }
            }
            break;
          }
        }
        return c.json({ module: await views.one(name), affected }, 200);
      },
    );
  }
}
