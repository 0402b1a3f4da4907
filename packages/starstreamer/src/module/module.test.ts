import type { Kysely } from "kysely";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { StarEvent } from "../events/event.ts";
import type { ChatMessageData } from "../events/event-map.ts";
import { command, cooldown, keyword, regex, userLevel } from "../triggers/descriptors.ts";
import { BaseModule, type LifecycleContext, MODULE_MARK, readManifest } from "./base-module.ts";
import type { HandlerContext } from "./context.ts";
import { createOn } from "./create-on.ts";
import { defineDatabase, defineModule } from "./define-module.ts";
import { type HandlerRegistration, MODULE_SCOPE, type ModuleScope, on } from "./scope.ts";

function withScope(run: () => void): HandlerRegistration[] {
  const registered: HandlerRegistration[] = [];
  const global = globalThis as { [MODULE_SCOPE]?: ModuleScope };
  global[MODULE_SCOPE] = { register: (r) => registered.push(r) };
  try {
    run();
  } finally {
    delete global[MODULE_SCOPE];
  }
  return registered;
}

describe("the module contract", () => {
  it("the class form carries the seed's metadata and defaults", () => {
    class Greeter extends BaseModule {
      readonly name = "greeter";
      override readonly version = "1.2.3";
    }
    const manifest = readManifest(new Greeter());
    expect(manifest).toEqual({
      name: "greeter",
      description: "",
      version: "1.2.3",
      author: "",
      dependencies: [],
      requires: [],
      provides: [],
      usesDatabase: false,
      canSnapshot: false,
    });
    expect((Greeter as unknown as Record<symbol, unknown>)[MODULE_MARK]).toBe(true);
  });

  it("defineModule builds a BaseModule subclass with the same manifest", () => {
    const Hello = defineModule({
      name: "hello",
      version: "1.0.0",
      dependencies: ["chat"],
      database: true,
      snapshot: () => 1,
      restore: () => {},
    });
    const instance = new (Hello as unknown as new () => BaseModule)();
    expect(instance).toBeInstanceOf(BaseModule);
    expect(readManifest(instance)).toMatchObject({
      name: "hello",
      dependencies: ["chat"],
      usesDatabase: true,
      canSnapshot: true,
    });
  });

  it("readManifest says what to fix in a bad definition", () => {
    const Bad = defineModule({
      name: "Bad Name",
      version: "one",
      dependencies: ["Bad Name"],
      snapshot: () => 1,
    });
    expect(() => readManifest(new (Bad as unknown as new () => BaseModule)())).toThrow(
      expect.objectContaining({
        code: "SS_MODULE_INVALID",
        message: expect.stringMatching(/name "Bad Name".*version "one".*dependencies.*snapshot and restore/),
      }),
    );
  });

  it("the context exists only once the host attached it", () => {
    const Hello = defineModule({ name: "hello" });
    const instance = new (Hello as unknown as new () => BaseModule)();
    expect(() => instance.ctx).toThrow(expect.objectContaining({ code: "SS_MODULE_NO_SCOPE" }));
  });

  it("on() registers type, triggers, handler and options inside a scope, and refuses outside one", () => {
    const handler = async () => {};
    const registered = withScope(() => {
      on("twitch.chat.message", [command("!greet"), cooldown({ user: "10s" })], handler, { name: "greet" });
      on("twitch.follow", handler);
      on("twitch.*", command("!x"), handler);
    });
    expect(registered.map((r) => [r.type, r.triggers.length, r.options.name])).toEqual([
      ["twitch.chat.message", 2, "greet"],
      ["twitch.follow", 0, undefined],
      ["twitch.*", 1, undefined],
    ]);
    expect(() => on("twitch.follow", handler)).toThrow(
      expect.objectContaining({ code: "SS_MODULE_NO_SCOPE" }),
    );
    expect(() => withScope(() => on("Bad Type" as "twitch.follow", handler))).toThrow(/dotted lower-case/);
  });

  it("types handlers from the event map, the context and the triggers", () => {
    withScope(() => {
      on("twitch.chat.message", command("!greet"), async (event, ctx) => {
        expectTypeOf(event.data).toEqualTypeOf<ChatMessageData>();
        expectTypeOf(event.data.user.displayName).toBeString();
        expectTypeOf(ctx.twitch.sendMessage).parameter(0).toBeString();
        expectTypeOf(ctx).toExtend<HandlerContext>();
        expectTypeOf(ctx.match.command.args).toEqualTypeOf<string[]>();
      });
      on("twitch.raid", [(event) => event.data.viewers > 10], async (event) => {
        expectTypeOf(event.data.viewers).toBeNumber();
      });
      on("twitch.*", async (event) => {
        expectTypeOf(event).toEqualTypeOf<StarEvent>();
      });
      // @ts-expect-error an unknown event type is a compile error
      on("twitch.nope", async () => {});
    });
  });
});

describe("typed config in handlers", () => {
  it("defineModule(...).on and BaseModule#on type ctx.config as the module's config", () => {
    const schema = {
      safeParse: (value: unknown) => ({ success: true as const, data: value as { award: number } }),
    };
    const Typed = defineModule({ name: "typed", config: schema });
    class Classy extends BaseModule<{ greeting: string }> {
      readonly name = "classy";
    }
    const registered = withScope(() => {
      Typed.on("twitch.chat.message", command("!award"), async (event, ctx) => {
        expectTypeOf(ctx.config.award).toBeNumber();
        expectTypeOf(event.data.text).toBeString();
      });
      new Classy().on("twitch.follow", async (_event, ctx) => {
        expectTypeOf(ctx.config.greeting).toBeString();
      });
    });
    expect(registered.map((r) => r.type)).toEqual(["twitch.chat.message", "twitch.follow"]);
  });
});

describe("typed to the author", () => {
  it("command arguments type ctx.match.command.params from their specs", () => {
    const registered = withScope(() => {
      on("twitch.chat.message", command("!dice", { args: ["sides?:int"] }), async function dice(_event, ctx) {
        expectTypeOf(ctx.match.command.params.sides).toEqualTypeOf<number | undefined>();
      });
      on(
        "twitch.chat.message",
        command("!give", { args: ["to:user", "amount:int", "note", "ratio?:number", "why?:rest"] }),
        async function give(_event, { match }) {
          expectTypeOf(match.command.params).toEqualTypeOf<{
            to: string;
            amount: number;
            note: string;
            ratio: number | undefined;
            why: string | undefined;
          }>();
        },
      );
      on(
        "twitch.chat.message",
        command("!hug", { args: [{ name: "who", type: "user", optional: false }] }),
        async function hug(_event, ctx) {
          expectTypeOf(ctx.match.command.params.who).toEqualTypeOf<string>();
        },
      );
      const dynamic: string[] = ["x:int"];
      on("twitch.chat.message", command("!any", { args: dynamic }), async function any(_event, ctx) {
        expectTypeOf(ctx.match.command.params).toEqualTypeOf<Record<string, string | number | undefined>>();
      });
    });
    expect(registered.map((r) => r.options.id ?? r.handler.name)).toEqual(["dice", "give", "hug", "any"]);
  });

  it("what the triggers always fill is present in ctx.match; the rest stays optional", () => {
    withScope(() => {
      on(
        "twitch.chat.message",
        [regex(/^(?<n>\d+)$/), keyword("gm"), userLevel("vip"), cooldown({ user: "1s", notify: true })],
        async function all(_event, { match }) {
          expectTypeOf(match.regex.groups).toEqualTypeOf<Record<string, string>>();
          expectTypeOf(match.keyword.word).toBeString();
          expectTypeOf(match.userLevel).toEqualTypeOf<
            "viewer" | "subscriber" | "vip" | "moderator" | "broadcaster"
          >();
          expectTypeOf(match.cooldown).toEqualTypeOf<
            { active: boolean; scope: "global" | "user"; remainingMs: number } | undefined
          >();
          expectTypeOf(match.command).toEqualTypeOf<
            | {
                name: string;
                used: string;
                args: string[];
                params: Record<string, string | number | undefined>;
                rest: string;
              }
            | undefined
          >();
        },
      );
    });
  });

  it("createOn types ctx.config and ctx.db from the module, through a type-only reference", () => {
    interface Tables {
      points: { login: string; amount: number };
    }
    const schema = {
      safeParse: (value: unknown) => ({ success: true as const, data: value as { points: number } }),
    };
    const Award = defineModule({ name: "award", config: schema, database: defineDatabase<Tables>() });
    class Classy extends BaseModule<{ greeting: string }, Tables> {
      readonly name = "classy";
    }
    const onAward = createOn<typeof Award>();
    const onClassy = createOn<typeof Classy>();
    const registered = withScope(() => {
      onAward("twitch.chat.message", command("!award"), async function award(_event, ctx) {
        expectTypeOf(ctx.config.points).toBeNumber();
        expectTypeOf(ctx.db).toEqualTypeOf<Kysely<Tables>>();
      });
      onClassy("twitch.follow", async function greet(_event, ctx) {
        expectTypeOf(ctx.config.greeting).toBeString();
        expectTypeOf(ctx.db).toEqualTypeOf<Kysely<Tables>>();
      });
      on("twitch.follow", async function untyped(_event, ctx) {
        expectTypeOf(ctx.db).toBeUnknown();
      });
    });
    expect(registered.map((r) => r.handler.name)).toEqual(["award", "greet", "untyped"]);
    expect(readManifest(new (Award as unknown as new () => BaseModule)())).toMatchObject({
      usesDatabase: true,
    });
  });
});

describe("services, declared once in Services", () => {
  it("ctx.provide accepts only declared names, and implementations of their interface", () => {
    // Type-level only: never called.
    const provideAll = (ctx: LifecycleContext) => {
      // @ts-expect-error a service nobody declared in Services
      ctx.provide("no-such-service", {});
      return ctx;
    };
    expectTypeOf(provideAll).parameter(0).toHaveProperty("provide");
    expect(typeof provideAll).toBe("function");
  });
});
