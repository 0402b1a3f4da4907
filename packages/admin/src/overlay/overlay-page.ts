/**
 * The alerts overlay page: a transparent page for an OBS Browser Source. Everything is inline (no
 * external requests, enforced by the Content-Security-Policy the route sends); `nonce` marks the
 * inline style and script as ours. The page listens to `alerts/stream` (relative, so it works under
 * any mount point), shows each alert with a short animation for its duration, one at a time, and
 * reconnects by itself: EventSource retries a dropped stream, and the page reopens it with backoff
 * when the browser gives up (the bot restarting answers nothing or an error for a moment).
 * `body[data-state]` is `connecting` or `live` (tests and curious streamers can watch it).
 */
export function overlayPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>StarStreamer alerts</title>
<style nonce="${nonce}">
html, body { margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden; background: transparent; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
#stage { display: flex; justify-content: center; padding-top: 8vh; }
.alert {
  box-sizing: border-box; max-width: 80vw; padding: 0.7em 1.4em; border-radius: 0.6em;
  background: rgba(20, 16, 40, 0.88); color: #fff; border: 0.12em solid var(--accent, #9146ff);
  font-size: clamp(24px, 4.5vw, 64px); font-weight: 700; line-height: 1.2; text-align: center;
  text-shadow: 0 2px 6px rgba(0, 0, 0, 0.6); box-shadow: 0 0.3em 1.2em rgba(0, 0, 0, 0.45);
  overflow-wrap: anywhere; animation: alert-in 450ms cubic-bezier(0.2, 1.4, 0.4, 1) both;
}
.alert.leaving { animation: alert-out 400ms ease-in both; }
.alert[data-type="raid"] { --accent: #ff5a5a; }
.alert[data-type="cheer"] { --accent: #ffb700; }
.alert[data-type="gift"], .alert[data-type="subscription"], .alert[data-type="resubscription"] { --accent: #3cd6a0; }
.alert[data-type^="hypeTrain"] { --accent: #ff7a1a; }
@keyframes alert-in { from { opacity: 0; transform: translateY(-40px) scale(0.85); } to { opacity: 1; transform: none; } }
@keyframes alert-out { from { opacity: 1; transform: none; } to { opacity: 0; transform: translateY(-20px) scale(0.95); } }
@media (prefers-reduced-motion: reduce) { .alert, .alert.leaving { animation-duration: 1ms; } }
</style>
</head>
<body data-state="connecting">
<div id="stage" aria-live="polite"></div>
<script nonce="${nonce}">
(() => {
  "use strict";
  const stage = document.getElementById("stage");
  const OUT_MS = 400;
  const MAX_QUEUED = 100;
  const queue = [];
  let showing = false;

  function next() {
    if (showing) return;
    const alert = queue.shift();
    if (!alert) return;
    showing = true;
    const el = document.createElement("div");
    el.className = "alert";
    el.dataset.type = alert.type;
    el.dataset.id = alert.id;
    el.textContent = alert.text;
    stage.appendChild(el);
    const duration = Math.max(0, Math.min(alert.durationMs, 600000));
    const out = Math.min(OUT_MS, duration);
    setTimeout(() => {
      el.classList.add("leaving");
      setTimeout(() => {
        el.remove();
        showing = false;
        next();
      }, out);
    }, duration - out);
  }

  function receive(message) {
    let alert;
    try {
      alert = JSON.parse(message.data);
    } catch {
      return;
    }
    if (!alert || typeof alert.text !== "string" || typeof alert.durationMs !== "number") return;
    if (queue.length >= MAX_QUEUED) queue.shift();
    queue.push(alert);
    next();
  }

  let retryMs = 1000;
  function connect() {
    const source = new EventSource("alerts/stream");
    source.addEventListener("hello", () => {
      document.body.dataset.state = "live";
      retryMs = 1000;
    });
    source.addEventListener("alert", receive);
    source.onerror = () => {
      document.body.dataset.state = "connecting";
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (an error answer); we retry.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 15000);
      }
    };
  }
  connect();
})();
</script>
</body>
</html>
`;
}
