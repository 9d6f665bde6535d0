import type * as NError from '@hitc/netsuite-types/N/error.js';

/** What SuiteScript throws: an error object with its code in `name` (N/error, O:section_4344431316). */
export class SuiteScriptError implements NError.SuiteScriptError {
  readonly id: string;
  readonly stack: string[];
  readonly cause = undefined;

  constructor(
    readonly name: string,
    readonly message: string,
  ) {
    this.id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.stack = [`${name}: ${message}`];
  }

  toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

export const suiteError = (name: string, message: string) => new SuiteScriptError(name, message);

/** The in-memory N/error: `create` only, which is all the RESTlet uses. */
export const errorModule: Pick<typeof NError, 'create'> = {
  create: ((options: { name: string; message: string | { message: string } }) =>
    suiteError(
      String(options.name),
      typeof options.message === 'string' ? options.message : options.message.message,
    )) as typeof NError.create,
};
