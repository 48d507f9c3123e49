import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PlanFile } from '../../domain/plan-file';
import { OperatorError } from '../../platform/errors';

/** A plan file that cannot be used, with one line that says why. */
export class PlanFileError extends OperatorError {
  override readonly name = 'PlanFileError';
}

/** Reads and validates a YAML or JSON plan file. Nothing is started or written. */
export function readPlanFile(file: string): PlanFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new PlanFileError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let data: unknown;
  try {
    data = path.extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new PlanFileError(`${file}: not valid ${path.extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = PlanFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
    throw new PlanFileError(`${file}: ${issue.path.join('.') || 'file'}: ${issue.message}${more}`);
  }
  return parsed.data;
}
