// The QualifyError a promise rejects with; fails the test when it resolves or throws another error.
import { expect } from 'vitest';
import { QualifyError } from '../../../src/core/errors.js';

export async function rejection(p: Promise<unknown>): Promise<QualifyError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(QualifyError);
    return e as QualifyError;
  }
  throw new Error('expected a failure');
}
