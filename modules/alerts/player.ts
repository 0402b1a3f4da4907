import type { Logger, ModuleContext } from "starstreamer";
import { AlertQueue } from "./alert-queue.ts";
import type { Alert } from "./build-alert.ts";
import type { AlertsConfig } from "./config.ts";

/** What the overlay receives for each alert (`custom.alerts.show`). */
export interface AlertShowData {
  id: string;
  type: string;
  text: string;
  durationMs: number;
}

declare module "starstreamer" {
  interface CustomEventMap {
    /** An alert starts: the overlay shows `text` for `durationMs`. */
    "custom.alerts.show": AlertShowData;
    /** The alert `id` finished (its duration and OBS action are over); the next one may start. */
    "custom.alerts.done": { id: string; type: string };
  }
}

let queue: AlertQueue<Alert> | undefined;
let logger: Logger | undefined;
let refusals = 0;

/** Logs an OBS failure without stopping the alert: the overlay and chat still get it. */
function obsFailed(what: string, alert: Alert) {
  return (error: unknown) => {
    const code = (error as { code?: unknown }).code;
    logger?.warn(`OBS action failed: ${what}`, {
      alert: alert.type,
      code: typeof code === "string" ? code : undefined,
      error: error instanceof Error ? error.message : String(error),
    });
  };
}

/** Plays one alert: overlay, chat and OBS action together, then waits its duration, then undoes the action. */
async function play(
  ctx: ModuleContext<AlertsConfig>,
  alert: Alert,
  active: AlertQueue<Alert>,
): Promise<void> {
  await ctx.bus.emit("custom.alerts.show", {
    id: alert.id,
    type: alert.type,
    text: alert.text,
    durationMs: alert.durationMs,
  });
  const started: Array<Promise<unknown>> = [];
  if (alert.chat) {
    started.push(
      ctx.twitch.sendMessage(alert.text).catch((error: unknown) => {
        ctx.logger.warn("could not send the alert to chat", { error: String(error) });
      }),
    );
  }
  const { switchScene, showSource } = alert.obs ?? {};
  if (switchScene)
    started.push(ctx.obs.setCurrentScene(switchScene).catch(obsFailed(`switch to ${switchScene}`, alert)));
  let sourceShown = false;
  if (showSource) {
    started.push(
      ctx.obs.setSceneItemEnabled(showSource.scene, showSource.source, true).then(
        () => {
          sourceShown = true;
        },
        obsFailed(`show ${showSource.source}`, alert),
      ),
    );
  }
  await Promise.all(started);
  const holdMs = Math.max(
    alert.durationMs,
    showSource?.seconds !== undefined ? showSource.seconds * 1000 : 0,
  );
  await active.wait(holdMs);
  if (showSource && sourceShown) {
    await ctx.obs
      .setSceneItemEnabled(showSource.scene, showSource.source, false)
      .catch(obsFailed(`hide ${showSource.source}`, alert));
  }
  await ctx.bus.emit("custom.alerts.done", { id: alert.id, type: alert.type });
}

/** Starts the player of this module instance (in `initialize`). */
export function startPlayer(ctx: ModuleContext<AlertsConfig>): void {
  logger = ctx.logger;
  refusals = 0;
  const created: AlertQueue<Alert> = new AlertQueue<Alert>({
    play: (alert) => play(ctx, alert, created),
    gapMs: ctx.config.gapMs,
    maxQueued: ctx.config.maxQueued,
    onError: (alert, error) => {
      ctx.logger.error("an alert failed to play", { alert: alert.type, error: String(error) });
    },
  });
  queue = created;
}

/** Queues an alert (no-op for `null`: a disabled type, or below its minimum). */
export function enqueue(alert: Alert | null): void {
  if (!alert || !queue) return;
  if (!queue.push(alert)) {
    refusals++;
    // The first refusal and every 100th: a flood must be visible without flooding the log itself.
    if (refusals === 1 || refusals % 100 === 0) {
      logger?.warn("alert queue full; alert refused", { alert: alert.type, refused: refusals });
    }
  }
}

/** Alerts waiting to play, taken out of the queue (for a reload's snapshot: the new worker plays them). */
export function takePending(): Alert[] {
  return queue?.take() ?? [];
}

/** Stops the player; the alert on screen finishes early (its OBS source is hidden again). */
export async function stopPlayer(): Promise<void> {
  const active = queue;
  queue = undefined;
  await active?.stop();
}
