import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { StarStreamerError } from "starstreamer";
import type { AdminChat } from "../chat.ts";
import { AdminErrorCodes } from "../errors.ts";
import { chatBodySchema, errorSchema } from "./schemas.ts";

/** `POST /api/chat`: a line into the local chat, as a chosen user; the bot's answer comes on the stream. */
export function registerChatRoutes(app: OpenAPIHono, chat: AdminChat | undefined): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/chat",
      summary:
        "Say a line in the offline chat as a user and role; replies arrive as chat events on /api/events/stream",
      request: { body: { content: { "application/json": { schema: chatBodySchema } }, required: true } },
      responses: {
        202: {
          description: "the line was said",
          content: { "application/json": { schema: z.object({ accepted: z.literal(true) }) } },
        },
        400: { description: "a bad body", content: { "application/json": { schema: errorSchema } } },
        409: {
          description: "the bot is connected to Twitch: there is no local chat",
          content: { "application/json": { schema: errorSchema } },
        },
      },
    }),
    async (c) => {
      if (!chat) {
        throw new StarStreamerError(
          AdminErrorCodes.CHAT_UNAVAILABLE,
          "there is no local chat: the bot is connected to Twitch (run with --offline to chat here)",
        );
      }
      const { text, user } = c.req.valid("json");
      // `/as` speaks once as that user without changing the terminal's speaker; the text after it
      // is always a chat message, even when it starts with "/".
      const who = user ?? { login: "viewer", level: "viewer" as const };
      await chat.input(`/as ${who.login} ${who.level} ${text}`);
      return c.json({ accepted: true as const }, 202);
    },
  );
}
