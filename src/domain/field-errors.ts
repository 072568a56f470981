import type { z } from 'zod';
import type { IncidentTimeRefusal } from './incident-times.js';
import { findForbiddenCharacter } from './text-rules.js';

/**
 * Field errors: the stable code, field and message that import errors and API errors both carry,
 * made from zod issues or from a character check.
 */

/** An issue code that import errors and API errors both carry; stable, for scripts. */
export type FieldErrorCode =
  | 'required'
  | 'invalid_type'
  | 'too_short'
  | 'too_long'
  | 'unknown_code'
  | 'unknown_field'
  | 'duplicate_value'
  | 'time_without_offset'
  | 'invalid_time'
  | 'received_at_out_of_range'
  | IncidentTimeRefusal
  | 'not_allowed_for_channel'
  | 'invalid_value'
  | 'invalid_indicator'
  | 'control_character'
  | 'forbidden_character';

export interface FieldError {
  field: string;
  code: FieldErrorCode;
  message: string;
  /** For a refused character: its 1-based position (in characters) and code point, e.g. U+202E. */
  position?: number;
  code_point?: string;
}

/**
 * The same rule for values that do not pass through a schema (the CLI's account options, say):
 * one field error per field that holds a character text() would refuse.
 */
export function characterErrors(fields: Record<string, string | undefined>, multiline = false): FieldError[] {
  return Object.entries(fields).flatMap(([field, value]) => {
    const found = value === undefined ? null : findForbiddenCharacter(value.normalize('NFC'), multiline);
    return found
      ? [
          {
            field,
            code: found.code,
            message: found.message,
            position: found.position,
            code_point: found.codePoint,
          },
        ]
      : [];
  });
}

/**
 * Turns zod issues into stable field errors. Pass the parsed `input` so that a field of the wrong
 * type is told apart from a missing one: zod 4 drops `issue.input` unless parsing used
 * `{ reportInput: true }`, and without either every type error would read as `required`.
 */
export function toFieldErrors(error: z.ZodError, input?: unknown): FieldError[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(line)';
    return { field, code: issueCode(issue, input), message: issue.message, ...characterOf(issue) };
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The fields of an issue the code depends on: a zod issue, or its copy in a Fastify validation error. */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  params?: unknown;
  input?: unknown;
}

/** Where a refused character is, when the issue is about one: machines need not parse the message. */
export function characterOf(issue: IssueLike): Pick<FieldError, 'position' | 'code_point'> {
  const params = issue.params as { position?: unknown; code_point?: unknown } | undefined;
  return typeof params?.position === 'number' && typeof params.code_point === 'string'
    ? { position: params.position, code_point: params.code_point }
    : {};
}

/** The stable code of an issue; `input` is the value that was validated (zod 4 does not keep it in issues). */
export function issueCode(issue: IssueLike, input: unknown): FieldErrorCode {
  switch (issue.code) {
    case 'custom':
      return (issue.params as { code?: FieldErrorCode } | undefined)?.code ?? 'invalid_value';
    case 'invalid_type': {
      const value = 'input' in issue ? issue.input : valueAt(input, issue.path);
      return value === undefined ? 'required' : 'invalid_type';
    }
    case 'too_small':
      return 'too_short';
    case 'too_big':
      return 'too_long';
    case 'invalid_value':
      // An enum field that is absent is missing, not an unknown code.
      return valueAt(input, issue.path) === undefined && !('input' in issue && issue.input !== undefined)
        ? 'required'
        : 'unknown_code';
    case 'unrecognized_keys':
      return 'unknown_field';
    default:
      return 'invalid_value';
  }
}
