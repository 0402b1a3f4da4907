import { MessageChannel } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { StarStreamerError } from "starstreamer";
import { describe, expect, it } from "vitest";
import { installErrorTransfer } from "./error-transfer.ts";

describe("Comlink error transfer", () => {
  it("keeps code, message, data and stack of a thrown error across a port", async () => {
    installErrorTransfer();
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(
      {
        fail() {
          throw new StarStreamerError("SS_TEST_CODE", "it broke", { data: { module: "greeter", line: 3 } });
        },
      },
      nodeEndpoint(port1),
    );
    const remote = Comlink.wrap<{ fail(): void }>(nodeEndpoint(port2));
    const error = await Promise.resolve(remote.fail()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StarStreamerError);
    expect(error).toMatchObject({
      code: "SS_TEST_CODE",
      message: "it broke",
      data: { module: "greeter", line: 3 },
    });
    expect((error as Error).stack).toContain("error-transfer.test.ts");
    port1.close();
    port2.close();
  });
});
