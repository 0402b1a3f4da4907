import { jsx as h } from "hono/jsx";
import { USER_LEVELS } from "starstreamer/internal";

// The page shell, rendered with hono/jsx (called as functions: the project compiles no JSX
// syntax). The module cards, the header figures and the chat are filled in by /assets/admin.js
// from the REST API and its event stream, so the page shows what the API says and nothing else.

/** What the shell needs to know. */
export interface ModulesPageOptions {
  /** Built-in event types for the simulate form. */
  eventTypes: string[];
  /** Whether a local chat is attached (else the chat form explains why not). */
  chat: boolean;
}

const stat = (id: string, label: string) =>
  h("div", { class: "stat" }, h("dt", {}, label), h("dd", { id, "data-stat": id }, "…"));

const field = (label: string, control: ReturnType<typeof h>) =>
  h("label", { class: "field" }, h("span", {}, label), control);

function header() {
  return h(
    "header",
    { class: "top" },
    h("h1", {}, "StarStreamer ", h("span", { class: "muted" }, "modules")),
    h(
      "dl",
      { class: "stats", "aria-label": "Bot status" },
      stat("stat-total", "Modules"),
      stat("stat-loaded", "Loaded"),
      stat("stat-enabled", "Enabled"),
      stat("stat-failed", "Failed"),
      stat("stat-reloads", "Reloads"),
      stat("stat-twitch", "Twitch"),
      stat("stat-obs", "OBS"),
    ),
    h("p", { id: "live", class: "live", role: "status" }, "connecting…"),
  );
}

function tokenForm() {
  return h(
    "form",
    { id: "token-form", class: "panel", hidden: true },
    h("h2", {}, "Admin token"),
    h(
      "p",
      {},
      "This bot's admin page is reachable from other machines, so it asks for STARSTREAMER_ADMIN_TOKEN.",
    ),
    field(
      "Token",
      h("input", { name: "token", type: "password", autocomplete: "current-password", required: true }),
    ),
    h("button", { type: "submit" }, "Use token"),
  );
}

function modulesSection() {
  return h(
    "section",
    { class: "modules", "aria-labelledby": "modules-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "modules-title" }, "Modules"),
      h("button", { type: "button", id: "discover", title: "Look for new module folders" }, "Discover"),
    ),
    h("p", { id: "notice", class: "notice", role: "status", "aria-live": "polite" }),
    h("div", { id: "modules", class: "cards" }, h("p", { class: "muted" }, "Loading modules…")),
    h(
      "noscript",
      {},
      h("p", {}, "This page needs JavaScript; the same actions are available with npx starstreamer modules."),
    ),
  );
}

function chatPanel(enabled: boolean) {
  return h(
    "section",
    { class: "panel chat", "aria-labelledby": "chat-title" },
    h("h2", { id: "chat-title" }, "Chat"),
    h("ol", { id: "chat-log", class: "chat-log", "aria-live": "polite", "aria-label": "Chat messages" }),
    enabled
      ? h(
          "form",
          { id: "chat-form", class: "row-form" },
          field(
            "User",
            h("input", {
              name: "login",
              value: "viewer",
              required: true,
              pattern: "[A-Za-z0-9_]{1,25}",
              size: 10,
            }),
          ),
          field(
            "Role",
            h(
              "select",
              { name: "level" },
              USER_LEVELS.map((level) => h("option", { value: level }, level)),
            ),
          ),
          field(
            "Message",
            h("input", {
              name: "text",
              required: true,
              maxlength: 500,
              placeholder: "!greet",
              autocomplete: "off",
            }),
          ),
          h("button", { type: "submit" }, "Send"),
        )
      : h(
          "p",
          { class: "muted" },
          "The bot is connected to Twitch: chat there (run with --offline to chat here).",
        ),
  );
}

function simulatePanel(types: string[]) {
  return h(
    "section",
    { class: "panel", "aria-labelledby": "simulate-title" },
    h("h2", { id: "simulate-title" }, "Simulate an event"),
    h(
      "form",
      { id: "simulate-form" },
      field(
        "Event type",
        h(
          "select",
          { name: "type" },
          types.map((type) => h("option", { value: type }, type)),
        ),
      ),
      field(
        "Data (JSON, optional: fields to change)",
        h("textarea", { name: "data", rows: 4, spellcheck: false, placeholder: '{"viewers": 500}' }),
      ),
      h("button", { type: "submit" }, "Simulate"),
      h("p", { id: "simulate-result", role: "status", "aria-live": "polite" }),
    ),
  );
}

function activityPanel() {
  return h(
    "section",
    { class: "panel", "aria-labelledby": "activity-title" },
    h("h2", { id: "activity-title" }, "Activity"),
    h("ol", { id: "activity", class: "activity", "aria-live": "polite", "aria-label": "Events and errors" }),
  );
}

/** The whole /modules page. */
export function modulesPage(options: ModulesPageOptions) {
  return h(
    "html",
    { lang: "en" },
    h(
      "head",
      {},
      h("meta", { charset: "utf-8" }),
      h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
      h("title", {}, "StarStreamer: modules"),
      h("link", { rel: "stylesheet", href: "/assets/admin.css" }),
      h("script", { type: "module", src: "/assets/admin.js" }),
    ),
    h(
      "body",
      {},
      h("a", { href: "#modules-title", class: "skip" }, "Skip to modules"),
      header(),
      h(
        "main",
        { class: "layout" },
        tokenForm(),
        modulesSection(),
        h(
          "div",
          { class: "side" },
          chatPanel(options.chat),
          simulatePanel(options.eventTypes),
          activityPanel(),
        ),
      ),
    ),
  );
}

/** The page as an HTML document. */
export async function renderModulesPage(options: ModulesPageOptions): Promise<string> {
  return `<!doctype html>${await modulesPage(options).toString()}`;
}
