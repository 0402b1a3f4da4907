/** The OBS plugin as a module sees it (`ctx.obs`). */
export interface ObsPluginApi {
  /** The name of the current program scene. */
  getCurrentScene(): Promise<string>;
  /** Switches the program scene. */
  setCurrentScene(sceneName: string): Promise<void>;
}
