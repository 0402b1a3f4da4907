/**
 * The entry of every module worker: it composes the worker from its parts and exposes it to the
 * host. Everything here is bundled by esbuild into one file at host start (see
 * build/runtime-bundle.ts). The parts, one concern each:
 * - heartbeat.ts: the slot the host's watchdog reads;
 * - registration-scope.ts: what `on()` registers while the module loads;
 * - module-context.ts: the context the module and its handlers get;
 * - handler-runner.ts: runs handlers for delivered events and reports each run;
 * - event-port.ts: the event path from the host, off Comlink (plugin calls ride it too);
 * - worker-api.ts: the module's lifecycle;
 * - worker-shell.ts: the API the host calls over Comlink, which binds the worker to its module at
 *   the first `load` (so a spare worker can boot before the host knows which module it will run).
 */
import { parentPort, workerData } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { installErrorTransfer, serializeError } from "../comlink/error-transfer.ts";
import { EventPort } from "./event-port.ts";
import { HandlerRunner } from "./handler-runner.ts";
import { Heartbeat } from "./heartbeat.ts";
import { createModuleLogger } from "./module-logger.ts";
import type { HostApi, HostRemote, ModuleWorkerData, WorkerBinding } from "./protocol.ts";
import { ProvidedServices } from "./provided-services.ts";
import { RegistrationScope } from "./registration-scope.ts";
import { ModuleWorkerRuntime } from "./worker-api.ts";
import { WorkerShell } from "./worker-shell.ts";

if (!parentPort) throw new Error("worker-main must run in a worker thread");
installErrorTransfer();
process.setSourceMapsEnabled(true);

const data = { ...(workerData as ModuleWorkerData) };
// Module code imports node:worker_threads too: it must not find the host's ports or the heartbeat
// (a module stamping its own heartbeat would hide a stuck loop from the watchdog).
for (const key of ["hostPort", "eventPort", "heartbeat"] as const)
  delete (workerData as Partial<ModuleWorkerData>)[key];
const comlinkHost = Comlink.wrap<HostApi>(nodeEndpoint(data.hostPort));
const heartbeat = new Heartbeat(data.heartbeat);
/** Set when the worker is bound: the module's plugin calls go on the event port. */
let eventPort: EventPort | null = null;
// The host as the module's parts hold it: Comlink for the rest, the event port for the plugins.
const host = new Proxy(comlinkHost, {
  get(target, key) {
    if (key !== "twitch" && key !== "obs") return Reflect.get(target, key);
    if (!eventPort) throw new Error("a spare worker has no plugins until it is given a module");
    return eventPort.plugin(key);
  },
}) as unknown as HostRemote;

/** The module's runtime, composed when the first `load` says which module this worker runs. */
function compose(binding: WorkerBinding): ModuleWorkerRuntime {
  const module = binding.module;
  const scope = new RegistrationScope(module, (handler) =>
    createModuleLogger(host, handler === null ? { module } : { module, handler }),
  );
  const runner: HandlerRunner = new HandlerRunner({
    host,
    deadlineMs: binding.deadlineMs,
    handlers: () => scope.handlers,
    context: () => runtime.context,
  });
  const runtime = new ModuleWorkerRuntime({
    data,
    binding,
    host,
    scope,
    runner,
    provided: new ProvidedServices(module),
  });
  eventPort = new EventPort(data.eventPort, heartbeat, runner);
  return runtime;
}

const shell = new WorkerShell(compose);

process.on("unhandledRejection", (reason) => {
  // A forgotten `await` must not take the whole module down; say where it came from instead.
  const error = serializeError(reason);
  void host.log("error", `unhandled promise rejection: ${error.message}`, {
    module: shell.module ?? "(spare worker)",
    stack: error.stack,
  });
});

Comlink.expose(shell, nodeEndpoint(parentPort));
