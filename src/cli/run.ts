// Runs a command; prints an error as one clear line (with its code and hint), sets the exit code.
import { isImverseError } from '../core/errors.js';

export async function runCommand(action: () => Promise<number | void>): Promise<void> {
  try {
    const code = await action();
    if (typeof code === 'number') process.exitCode = code;
  } catch (error) {
    if (isImverseError(error)) {
      console.error(`error ${error.code}: ${error.message}`);
      for (const issue of error.issues.slice(0, 20)) {
        console.error(`  ${issue.file ? `${issue.file}: ` : ''}${issue.path || '/'}: ${issue.message}`);
      }
      if (error.issues.length > 20) console.error(`  … and ${error.issues.length - 20} more`);
      console.error(`hint: ${error.hint}`);
    } else {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exitCode = 1;
  }
}
