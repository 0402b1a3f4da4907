import { defineModule } from "starstreamer";
import type { Alert } from "./build-alert.ts";
import { ALERT_TYPES, type AlertsConfig, alertsConfigSchema } from "./config.ts";
import { enqueue, startPlayer, stopPlayer, takePending } from "./player.ts";

/** Whether a snapshot entry still looks like an alert (a snapshot may come from an older version). */
function isAlert(value: unknown): value is Alert {
  const alert = value as Partial<Alert> | null;
  return (
    typeof alert === "object" &&
    alert !== null &&
    typeof alert.id === "string" &&
    typeof alert.text === "string" &&
    typeof alert.durationMs === "number" &&
    typeof alert.chat === "boolean" &&
    (ALERT_TYPES as readonly string[]).includes(String(alert.type))
  );
}

/**
 * Stream alerts: follows, subs, resubs, gift bombs (one alert each), cheers, raids, hype trains and
 * channel point redemptions. Each alert is said in chat, shown on the overlay
 * (`custom.alerts.show`, served at /overlay/alerts) and can show an OBS source or switch scene;
 * alerts play one at a time, in order.
 */
const alerts = defineModule<AlertsConfig>({
  name: "alerts",
  description:
    "Chat, overlay and OBS alerts for follows, subs, gifts, cheers, raids, hype trains and redemptions",
  version: "1.0.0",
  author: "StarStreamer",
  config: alertsConfigSchema,
  initialize(ctx) {
    startPlayer(ctx);
  },
  registerActions: () => import("./actions/alerts.ts"),
  async shutdown() {
    await stopPlayer();
  },
  // Across a reload, alerts still waiting move to the new version instead of being lost.
  snapshot: () => takePending(),
  restore(state) {
    if (!Array.isArray(state)) return;
    for (const alert of state) if (isAlert(alert)) enqueue(alert);
  },
});

export default alerts;
