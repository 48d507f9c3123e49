import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/platform/project-root';

const root = projectRoot();
const run = (args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, [path.join(root, 'dist/src/cli/main.js'), ...args], { cwd: root, env: { ...process.env, MONGODB_URI: 'mongodb://127.0.0.1:1/', TEMPORAL_ADDRESS: '127.0.0.1:1' } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );

/** `lisplan plan extract` on the seed reports: it reads, prints, and needs no server. */
describe('lisplan plan extract', () => {
  it('prints every plan item of Fastighetskontoret’s review as JSON, with its KPI candidates', async () => {
    const { code, stdout, stderr } = await run(['plan', 'extract', path.resolve(root, '../shared/seeds/000_141bc22e8b1aaff0.txt'), '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { activities: { year: number; section: string }[]; kpis: { value: number }[] };
    const perYear = out.activities.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.year]: (acc[a.year] ?? 0) + 1 }), {});
    expect(perYear).toEqual({ 2026: 10, 2027: 5, 2028: 5 });
    expect(out.kpis.map((k) => k.value)).toContain(2);
  });

  it('refuses a file it cannot read, and a .docx that is not a Word document, with one line and exit 1', async () => {
    const broken = path.join(mkdtempSync(path.join(tmpdir(), 'lisplan-extract-')), 'rapport.docx');
    writeFileSync(broken, 'PK inte ett Word-dokument');
    for (const [file, message] of [
      ['/inte/finns.txt', /^lisplan: cannot read \/inte\/finns\.txt/],
      [broken, /^lisplan: .*rapport\.docx is not a Word document \(\.docx\) that can be read/],
    ] as const) {
      const { code, stderr } = await run(['plan', 'extract', file]);
      expect(code).toBe(1);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
  });
});
