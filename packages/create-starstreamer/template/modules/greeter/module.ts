import { BaseModule } from "starstreamer";

/** Welcomes followers and answers !greet. */
export default class GreeterModule extends BaseModule {
  readonly name = "greeter";
  override readonly description = "Welcomes followers and answers !greet";
  override readonly version = "1.0.0";
  override readonly author = "StarStreamer";

  override async registerActions(): Promise<void> {
    await import("./actions/greetings.ts");
  }
}
