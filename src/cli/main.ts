#!/usr/bin/env node
import path from 'node:path';
import { Command } from 'commander';
import { runMain } from '../platform/main-guard';
import { planExtract, planLoad, seedDemo } from './plan-commands';
import { planImport, reviewExport } from './review-commands';

/** `lisplan`: the operator's command line. Each command prints one line and exits 1 on failure. */
const program = new Command()
  .name('lisplan')
  .description('lisplan: informationssäkerhetens förbättringsplan som arbetsflöden')
  .showHelpAfterError()
  .exitOverride();

const plan = program.command('plan').description('treårsplaner');
plan
  .command('load')
  .description("starta organisationers aktiviteter ur planfiler (YAML eller JSON); idempotent")
  .argument('<files...>', 'en eller flera planfiler, t.ex. plans/sodermalm.yaml')
  .action((files: string[]) => planLoad(files.map((f) => path.resolve(f))));

plan
  .command('extract')
  .description('läs ett tidigare års Ledningens genomgång (.txt eller .docx) och skriv ut planens aktiviteter och nyckeltalskandidater; startar och skriver inget')
  .argument('<file>', 'rapporten, t.ex. lg-2025.txt eller lg-2025.docx')
  .option('--json', 'skriv ut JSON (standard)', true)
  .action((file: string) => planExtract(path.resolve(file)));

plan
  .command('import')
  .description('läs förra årets Ledningens genomgång, visa vad som skulle laddas och ladda det efter bekräftelse; nyckeltal bekräftas ett och ett')
  .argument('<file>', 'rapporten (.txt eller .docx)')
  .requiredOption('--org <id>', 'organisationen, t.ex. sodermalm')
  .option('--yes', 'ladda aktiviteterna utan att fråga (sparar inga nyckeltal)')
  .action((file: string, opts: { org: string; yes?: boolean }) => planImport(path.resolve(file), opts));

program
  .command('review')
  .description('ledningens genomgång')
  .command('export')
  .description('skriv genomgången till en fil: den antagna versionen, eller ett utkast märkt som utkast')
  .requiredOption('--org <id>', 'organisationen, t.ex. sodermalm')
  .requiredOption('--year <year>', 'året genomgången avser, t.ex. 2026')
  .requiredOption('--format <format>', 'docx, pdf, md, html, json, csv eller xlsx')
  .requiredOption('--out <path>', 'filen att skriva')
  .option('--version <n>', 'en viss version (standard: den senaste)')
  .action((opts: { org: string; year: string; format: string; out: string; version?: string }) => reviewExport(opts));

program
  .command('seed')
  .description('demodata')
  .command('demo')
  .description('ladda båda seed-organisationernas planer och demoanvändare i varje roll')
  .action(() => seedDemo());

runMain('lisplan', async () => {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    // commander has printed its own message for usage errors and --help.
    const code = (err as { exitCode?: number }).exitCode;
    if (code !== undefined) process.exit(code);
    throw err;
  }
});
