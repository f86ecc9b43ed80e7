// What a password must be. Length is the rule that matters (NIST SP 800-63B); the upper bound keeps
// an attacker from making the server hash megabytes.
import { ValidationError } from '../../core/errors.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function checkPassword(password: unknown, path = '/password'): string {
  const length = typeof password === 'string' ? [...password].length : 0;
  if (typeof password !== 'string' || length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw new ValidationError(
      'IMV_PASSWORD_WEAK',
      `The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
      { path },
    );
  }
  return password;
}
