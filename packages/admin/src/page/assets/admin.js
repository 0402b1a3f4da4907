// The /modules page: renders what the REST API says and keeps it live from /api/events/stream.
// Plain browser JavaScript, served as is by the host (no build step, no outside requests).

const TOKEN_KEY = "starstreamer-admin-token";
const $ = (selector) => document.querySelector(selector);
const modules = new Map();

/** Creates an element: el("p", { class: "x" }, "text", child). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("data-") || key.startsWith("aria-") || key === "class" || key === "role") {
      node.setAttribute(key, String(value));
    } else {
      node[key] = value;
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the REST API; an error answer becomes an ApiError with the API's message. */
async function api(path, options = {}) {
  const headers = { ...(options.headers ?? {}) };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (response.status === 401) askForToken();
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {}
    throw new ApiError(
      response.status,
      body?.error?.code ?? "HTTP",
      body?.error?.message ?? `${response.status} ${response.statusText}`,
    );
  }
  return options.raw ? response : response.json();
}

function askForToken() {
  const form = $("#token-form");
  if (!form.hidden) return;
  form.hidden = false;
  form.elements.token.focus();
}

const ms = (value) =>
  value === null || value === undefined ? "–" : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const time = (at) => (at ? new Date(at).toLocaleTimeString() : "");

function notice(text, kind = "info") {
  const node = $("#notice");
  node.textContent = text;
  node.dataset.kind = kind;
}

// ------------------------------------------------------------------ header

function connectionText(connection) {
  if (!connection.configured) return "not configured";
  return `${connection.state}${connection.kind ? ` (${connection.kind})` : ""}`;
}

function renderStats(stats) {
  const set = (id, value, state) => {
    const node = document.getElementById(id);
    node.textContent = String(value);
    if (state) node.dataset.state = state;
  };
  set("stat-total", stats.total);
  set("stat-loaded", stats.loaded);
  set("stat-enabled", stats.enabled);
  set("stat-failed", stats.failed, stats.failed > 0 ? "failed" : "ok");
  set(
    "stat-reloads",
    `${stats.reloads.successful} ok, ${stats.reloads.failed} failed${stats.reloads.lastDurationMs !== null ? `, last ${ms(stats.reloads.lastDurationMs)}` : ""}`,
  );
  set("stat-twitch", connectionText(stats.connections.twitch), stats.connections.twitch.state ?? "none");
  set("stat-obs", connectionText(stats.connections.obs), stats.connections.obs.state ?? "none");
}

// ------------------------------------------------------------------ module cards

const ACTION_LABELS = {
  load: "Load",
  enable: "Enable",
  disable: "Disable",
  reload: "Reload",
  unload: "Unload",
};

function fact(label, value) {
  return [el("dt", {}, label), el("dd", {}, value)];
}

function lastReloadText(m) {
  if (!m.lastReload) return "never";
  const r = m.lastReload;
  return `${r.ok ? "ok" : "failed"} in ${ms(r.durationMs)}${r.at ? ` at ${time(r.at)}` : ""}`;
}

/** `actions/x.ts:4:9 TS2322 Type 'number' is not ...`, as the terminal prints it. */
function typeErrorText(d) {
  return `${d.file ?? "?"}:${d.line ?? 0}:${d.column ?? 0} TS${d.code} ${d.message}`;
}

function moduleCard(m) {
  const problems = [];
  if (m.reason) problems.push(el("p", { class: "error-text" }, m.reason));
  if (m.lastReload && !m.lastReload.ok && m.lastReload.error) {
    problems.push(
      el(
        "p",
        { class: "error-text" },
        `Last reload failed (the previous version keeps serving): ${m.lastReload.error}`,
      ),
    );
  }
  if (m.lastError) {
    problems.push(
      el(
        "p",
        { class: "error-text" },
        `Last handler error${m.lastError.handler ? ` in ${m.lastError.handler}` : ""} at ${time(m.lastError.at)}: ${m.lastError.message}`,
      ),
    );
  }
  if (m.typeErrors.length) {
    problems.push(
      el(
        "p",
        { class: "warn-text" },
        `${m.typeErrors.length} type error${m.typeErrors.length > 1 ? "s" : ""} (the new version runs anyway):`,
      ),
      el(
        "ul",
        { class: "type-errors", "data-role": "type-errors" },
        m.typeErrors.map((d) => el("li", {}, typeErrorText(d))),
      ),
    );
  }
  const title = `${m.name} ${m.version ?? ""}`.trim();
  return el(
    "article",
    { class: "card", "data-module": m.name, "data-state": m.state, "aria-label": `${m.name}, ${m.state}` },
    el(
      "header",
      { class: "card-head" },
      el("h3", {}, m.name, " ", el("span", { class: "muted version" }, m.version ?? "")),
      el("span", { class: `badge badge-${m.state}`, "data-role": "state" }, m.state),
    ),
    m.description ? el("p", { class: "description" }, m.description) : null,
    el(
      "dl",
      { class: "facts" },
      fact("Author", m.author || "–"),
      fact("Depends on", m.dependencies.length ? m.dependencies.join(", ") : "–"),
      fact("Handlers", m.handlers.length),
      el("dt", {}, "Events handled"),
      el("dd", { "data-role": "events-handled" }, m.eventsHandled),
      fact("Errors", m.errors),
      fact("p50 / p99", `${ms(m.handlerP50Ms)} / ${ms(m.handlerP99Ms)}`),
      fact("Memory", m.heapUsedMb === null ? "–" : `${m.heapUsedMb} MB`),
      el("dt", {}, "Last reload"),
      el("dd", { "data-role": "last-reload" }, lastReloadText(m)),
    ),
    problems.length
      ? el(
          "details",
          { class: "problems", open: m.state === "failed" || (m.lastReload && !m.lastReload.ok) },
          el("summary", {}, "Errors"),
          problems,
        )
      : null,
    el(
      "div",
      { class: "actions" },
      m.actions.map((action) =>
        el(
          "button",
          { type: "button", "data-action": action, "aria-label": `${ACTION_LABELS[action]} ${title}` },
          ACTION_LABELS[action],
        ),
      ),
    ),
  );
}

function renderModule(m) {
  modules.set(m.name, m);
  const list = $("#modules");
  const card = moduleCard(m);
  const old = list.querySelector(`[data-module="${CSS.escape(m.name)}"]`);
  if (old) {
    // Keep keyboard focus on the same button after the card is redrawn.
    const focused = old.contains(document.activeElement) ? document.activeElement.dataset.action : null;
    old.replaceWith(card);
    if (focused) (card.querySelector(`[data-action="${focused}"]`) ?? card.querySelector("button"))?.focus();
    return;
  }
  const next = [...list.querySelectorAll("[data-module]")].find((node) => node.dataset.module > m.name);
  list.querySelector(":scope > p")?.remove();
  list.insertBefore(card, next ?? null);
}

function renderModules(list) {
  const container = $("#modules");
  container.replaceChildren();
  modules.clear();
  if (list.length === 0)
    container.append(
      el("p", { class: "muted" }, "No modules yet: add a folder under modules/ and press Discover."),
    );
  for (const m of list) renderModule(m);
}

const busy = new Set();

async function runAction(name, action) {
  // Not button.disabled: a disabled button drops keyboard focus.
  if (busy.has(name)) return;
  busy.add(name);
  $("#modules")
    .querySelector(`[data-module="${CSS.escape(name)}"]`)
    ?.setAttribute("aria-busy", "true");
  notice(`${ACTION_LABELS[action]} ${name}…`);
  try {
    const result = await api(`/api/modules/${encodeURIComponent(name)}/${action}`, {
      method: "POST",
      body: {},
    });
    renderModule(result.module);
    const also = result.affected.filter((n) => n !== name);
    notice(
      action === "reload"
        ? `Reloaded ${name} ${result.reload.version ?? ""} in ${ms(result.reload.durationMs)}`
        : `${name} is ${result.module.state}${also.length ? ` (also: ${also.join(", ")})` : ""}`,
      "ok",
    );
  } catch (error) {
    notice(`${ACTION_LABELS[action]} ${name} failed: ${error.message}`, "error");
    try {
      renderModule(await api(`/api/modules/${encodeURIComponent(name)}`));
    } catch {}
  } finally {
    busy.delete(name);
    $("#modules")
      .querySelector(`[data-module="${CSS.escape(name)}"]`)
      ?.removeAttribute("aria-busy");
  }
}

// ------------------------------------------------------------------ chat, activity

function addLine(list, node, limit = 200) {
  list.append(node);
  while (list.children.length > limit) list.firstElementChild.remove();
  list.scrollTop = list.scrollHeight;
}

function renderChat(line) {
  const who = line.kind === "chat" ? line.user : line.kind === "bot" ? "bot" : line.kind;
  addLine(
    $("#chat-log"),
    el(
      "li",
      { class: `chat-${line.kind}` },
      el("b", {}, who, line.replyTo ? ` → ${line.replyTo}` : ""),
      " ",
      line.text,
    ),
  );
}

function renderActivity(text, kind) {
  addLine(
    $("#activity"),
    el("li", { class: `activity-${kind}` }, el("time", {}, new Date().toLocaleTimeString()), " ", text),
    100,
  );
}

// ------------------------------------------------------------------ live stream

const HANDLERS = {
  module: (m) => renderModule(m),
  stats: (s) => renderStats(s),
  chat: (line) => renderChat(line),
  event: (e) => renderActivity(`${e.type} from ${e.source}`, "event"),
  log: (r) => renderActivity(`${r.module ? `${r.module}: ` : ""}${r.message}`, r.level),
  dropped: (d) => {
    renderActivity(`${d.count} live updates were missed; refreshing`, "warn");
    void refresh();
  },
};

function dispatch(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (data.length === 0 || !HANDLERS[event]) return;
  HANDLERS[event](JSON.parse(data.join("\n")));
}

function setLive(text, state) {
  const node = $("#live");
  node.textContent = text;
  node.dataset.state = state;
}

async function refresh() {
  const [list, stats] = await Promise.all([api("/api/modules"), api("/api/stats")]);
  renderModules(list.modules);
  renderStats(stats);
}

// fetch rather than EventSource: it can send the token header.
async function live() {
  for (;;) {
    try {
      const response = await api("/api/events/stream", {
        raw: true,
        headers: { accept: "text/event-stream" },
      });
      await refresh();
      setLive("live", "live");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
        }
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setLive("needs the admin token", "off");
        await new Promise((resolve) => $("#token-form").addEventListener("submit", resolve, { once: true }));
        continue;
      }
    }
    setLive("reconnecting…", "off");
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
}

// ------------------------------------------------------------------ wiring

$("#modules").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  void runAction(button.closest("[data-module]").dataset.module, button.dataset.action);
});

$("#discover").addEventListener("click", async () => {
  try {
    const result = await api("/api/modules/discover", { method: "POST", body: {} });
    renderModules(result.modules);
    notice(
      result.discovered.length ? `Found ${result.discovered.join(", ")}` : "No new module folders",
      "ok",
    );
  } catch (error) {
    notice(`Discover failed: ${error.message}`, "error");
  }
});

$("#token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  sessionStorage.setItem(TOKEN_KEY, form.elements.token.value.trim());
  form.reset();
  form.hidden = true;
});

$("#chat-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const text = form.elements.text.value;
  try {
    await api("/api/chat", {
      method: "POST",
      body: { text, user: { login: form.elements.login.value.trim(), level: form.elements.level.value } },
    });
    form.elements.text.value = "";
  } catch (error) {
    renderChat({ kind: "error", text: error.message });
  }
  form.elements.text.focus();
});

$("#simulate-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const result = $("#simulate-result");
  let data;
  const text = form.elements.data.value.trim();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      result.textContent = `The data is not valid JSON: ${error.message}`;
      result.dataset.kind = "error";
      return;
    }
  }
  try {
    const published = await api("/api/events/simulate", {
      method: "POST",
      body: { type: form.elements.type.value, data },
    });
    result.textContent = `Simulated ${published.type}`;
    result.dataset.kind = "ok";
  } catch (error) {
    result.textContent = error.message;
    result.dataset.kind = "error";
  }
});

void live();
