/** The codes `create-starstreamer` raises (as StarStreamerError); docs/errors.md says what to do. */
export const CreateErrorCodes = {
  /** The target folder exists and holds files: a new project is never written over them. */
  FOLDER_NOT_EMPTY: "SS_CREATE_FOLDER_NOT_EMPTY",
  /** The project name (from the folder or the answer) cannot be an npm package name. */
  BAD_NAME: "SS_CREATE_BAD_NAME",
  /** Unknown flags or more than one folder on the command line. */
  USAGE: "SS_CREATE_USAGE",
} as const;

/** One of the codes above. */
export type CreateErrorCode = (typeof CreateErrorCodes)[keyof typeof CreateErrorCodes];
