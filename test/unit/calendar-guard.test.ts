import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The time bomb cannot come back: a test that creates activities or reviews on the real
 * servers gets every date from today (test/support/calendar.ts), because the servers read the
 * machine's clock. A literal date there passed once and fails once the calendar reaches it
 * (a due date inside the 30-day reminder window, an activity overdue from New Year).
 * Pure tests under test/unit/ pass their clock and may use any date.
 */
const testRoot = path.join(__dirname, '..');
const EXEMPT = [path.join(testRoot, 'unit'), path.join(testRoot, 'fixtures')];
/** What makes a test one that runs against the servers: the stack, the CLI, the browser or the fault rig. */
const USES_SERVERS = /from '\.\.\/support\/(stack|cli|browser)'|from '\.\/rig'/;
const LITERAL_DATE = /['"`]20\d\d-\d\d-\d\d/;

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return EXEMPT.includes(full) ? [] : testFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Each `file:line: text` where a test against the servers writes a literal date. */
function literalDates(files: string[]): string[] {
  return files.flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    if (!USES_SERVERS.test(text)) return [];
    return text.split('\n').flatMap((line, i) => (LITERAL_DATE.test(line) ? [`${path.relative(testRoot, file)}:${i + 1}: ${line.trim()}`] : []));
  });
}

describe('tests against the servers take their dates from today', () => {
  it('no such test has a literal date', () => {
    expect(literalDates(testFiles(testRoot))).toEqual([]);
  });

  it('the check finds one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-guard-'));
    const bomb = path.join(dir, 'bomb.test.ts');
    fs.writeFileSync(bomb, "import { startTestStack } from '../support/stack';\nconst due = { dueDate: '2026-12-31' };\n");
    const pure = path.join(dir, 'pure.test.ts');
    fs.writeFileSync(pure, "const due = { dueDate: '2026-12-31' };\n");
    try {
      expect(literalDates([bomb, pure]).map((l) => l.replace(/^.*bomb/, 'bomb'))).toEqual(["bomb.test.ts:2: const due = { dueDate: '2026-12-31' };"]);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
