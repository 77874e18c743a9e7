// Errors crossing the worker boundary keep their shape: a QualifyError thrown while scoring in
// the worker thread reaches the CLI as the same QualifyError (code, message, location, hint)
// that the inline path would throw, so a worker run exits with the same status and message.
// Anything else stays an internal error, with the worker's stack for the bug report.
import { QualifyError, QualifyErrors, isQualifyError, type ErrorCode, type Location } from '../core/errors.js';

export type SerializedError =
  | { kind: 'qualify'; errors: { code: ErrorCode; message: string; at?: Location | undefined; hint?: string | undefined }[] }
  | { kind: 'internal'; text: string };

export function serializeError(e: unknown): SerializedError {
  const list = e instanceof QualifyErrors ? e.errors : isQualifyError(e) ? [e] : null;
  if (list !== null) return { kind: 'qualify', errors: list.map((x) => ({ code: x.code, message: x.message, at: x.at, hint: x.hint })) };
  return { kind: 'internal', text: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

export function deserializeError(s: SerializedError): Error {
  if (s.kind === 'internal') return new Error(`scoring worker failed: ${s.text}`);
  const errors = s.errors.map((x) => new QualifyError(x.code, x.message, x.at, x.hint === undefined ? {} : { hint: x.hint }));
  return errors.length === 1 ? errors[0]! : new QualifyErrors(errors);
}
