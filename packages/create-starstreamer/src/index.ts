/**
 * `create-starstreamer`: writes a new StarStreamer bot project (`npm create starstreamer@latest`).
 *
 * @packageDocumentation
 */
export { type CreateProjectOptions, createProject, projectNameFor } from "./create-project.ts";
export { type CreateErrorCode, CreateErrorCodes } from "./errors.ts";
export {
  ALLOWED_SCRIPTS,
  projectFiles,
  projectPackageJson,
  starstreamerVersion,
  TOOL_VERSIONS,
  templateDir,
} from "./project-files.ts";
export { type CreateIo, DEFAULT_FOLDER, runCreate } from "./run-create.ts";
